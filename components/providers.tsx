"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { SessionProvider } from "next-auth/react";
import { type ReactNode, useState } from "react";
import { ApiError } from "@/lib/api-client";

function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A 4xx will not get better by asking again; one retry covers a dropped connection.
        retry: (failureCount, error) =>
          failureCount < 1 && !(error instanceof ApiError && error.status < 500),
        // Refetching on every tab switch re-runs tenant queries for no user benefit.
        refetchOnWindowFocus: false,
        staleTime: 30_000,
      },
      // A retried POST could create a second invitation or API key.
      mutations: { retry: false },
    },
  });
}

/** Client-side context for the whole app: the next-auth session and the React Query cache. */
export function Providers({ children }: { children: ReactNode }) {
  // One client per browser session; useState keeps it across re-renders but not across users' requests on the server.
  const [queryClient] = useState(createQueryClient);
  return (
    <SessionProvider>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </SessionProvider>
  );
}
