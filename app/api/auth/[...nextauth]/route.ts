import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

// next-auth's own endpoints (sign-in, callback, session, csrf, sign-out); it
// enforces its CSRF token on every POST.
const handler = NextAuth(authOptions);

export { handler as GET, handler as POST };
