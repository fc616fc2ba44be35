"use client";

import { LogOutIcon } from "lucide-react";
import { useState } from "react";
import { Button, type ButtonProps } from "@/components/ui/button";
import { signOutTo } from "./sign-out";

export function SignOutButton({
  callbackUrl = "/",
  children = "Sign out",
  ...buttonProps
}: Omit<ButtonProps, "onClick"> & { callbackUrl?: string }) {
  const [signingOut, setSigningOut] = useState(false);
  return (
    <Button
      {...buttonProps}
      disabled={signingOut}
      onClick={() => {
        setSigningOut(true);
        void signOutTo(callbackUrl);
      }}
    >
      <LogOutIcon aria-hidden="true" />
      {children}
    </Button>
  );
}
