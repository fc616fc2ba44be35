import "server-only";
import type { NextAuthOptions } from "next-auth";
import AzureADProvider from "next-auth/providers/azure-ad";
import CredentialsProvider from "next-auth/providers/credentials";
import GoogleProvider from "next-auth/providers/google";
import OktaProvider from "next-auth/providers/okta";
import { clientAddress } from "@/lib/api/client-address";
import { authSecret } from "@/lib/auth/secret";
import { signInWithPassword, userForExternalIdentity } from "@/lib/auth/sign-in";
import { RateLimited } from "@/lib/errors";

// next-auth v4: email + password (Credentials) always; Google, Microsoft
// Entra ID and Okta only when their env vars are set. Sessions are signed
// JWTs in an HttpOnly cookie that expire after SESSION_MAX_AGE_SECONDS.

const SESSION_MAX_AGE = Number(process.env.SESSION_MAX_AGE_SECONDS ?? 8 * 3_600);

function oauthProviders() {
  const env = process.env;
  const providers = [];
  if (env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET) {
    providers.push(
      GoogleProvider({ clientId: env.GOOGLE_CLIENT_ID, clientSecret: env.GOOGLE_CLIENT_SECRET }),
    );
  }
  if (env.AZURE_AD_CLIENT_ID && env.AZURE_AD_CLIENT_SECRET && env.AZURE_AD_TENANT_ID) {
    providers.push(
      AzureADProvider({
        clientId: env.AZURE_AD_CLIENT_ID,
        clientSecret: env.AZURE_AD_CLIENT_SECRET,
        tenantId: env.AZURE_AD_TENANT_ID,
      }),
    );
  }
  if (env.OKTA_CLIENT_ID && env.OKTA_CLIENT_SECRET && env.OKTA_ISSUER) {
    providers.push(
      OktaProvider({
        clientId: env.OKTA_CLIENT_ID,
        clientSecret: env.OKTA_CLIENT_SECRET,
        issuer: env.OKTA_ISSUER,
      }),
    );
  }
  return providers;
}

export function enabledOAuthProviders(): { id: string; name: string }[] {
  return oauthProviders().map((provider) => ({ id: provider.id, name: provider.name }));
}

export const authOptions: NextAuthOptions = {
  secret: authSecret(),
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE, updateAge: 15 * 60 },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers: [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      async authorize(credentials, request) {
        try {
          const user = await signInWithPassword(
            credentials?.email ?? "",
            credentials?.password ?? "",
            {
              ip: clientAddress(request?.headers),
              userAgent: (request?.headers?.["user-agent"] as string | undefined) ?? null,
            },
          );
          return user ? { id: user.id, email: user.email, name: user.name } : null;
        } catch (error) {
          // next-auth passes the message to the sign-in page as ?error=…
          if (error instanceof RateLimited)
            throw new Error(`RateLimited:${error.retryAfterSeconds}`);
          throw error;
        }
      },
    }),
    ...oauthProviders(),
  ],
  callbacks: {
    async signIn({ user, account, profile }) {
      if (!account || account.provider === "credentials") return true;
      // Only provider-verified addresses may create or link an account.
      const verified =
        (profile as { email_verified?: boolean } | undefined)?.email_verified !== false;
      if (!user.email || !verified) return false;
      const linked = await userForExternalIdentity({
        provider: account.provider,
        providerAccountId: account.providerAccountId,
        email: user.email,
        name: user.name ?? null,
      });
      user.id = linked.id;
      return true;
    },
    async jwt({ token, user }) {
      if (user) token.uid = user.id;
      return token;
    },
    async session({ session, token }) {
      if (session.user && typeof token.uid === "string")
        (session.user as { id?: string }).id = token.uid;
      return session;
    },
  },
};
