/** Pretty-printed JSON in a scrollable, keyboard-focusable block. */
export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  return (
    <figure className="m-0">
      <figcaption className="sr-only">{label}</figcaption>
      <div
        // Focusable so keyboard users can scroll a block taller than its frame (WCAG 2.1.1).
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
        tabIndex={0}
        className="max-h-80 overflow-auto rounded-md border bg-muted/50 focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring"
      >
        <pre className="p-3 font-mono text-xs leading-relaxed">
          <code>{JSON.stringify(value, null, 2)}</code>
        </pre>
      </div>
    </figure>
  );
}
