// Without its own instrumentation file, Turbopack (Next 16.4) picks up the
// repository root's instrumentation.ts, whose env check exits for want of the
// OfficeFlow app's variables. The bench app needs none.
export function register() {}
