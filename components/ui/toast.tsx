"use client";

import * as ToastPrimitive from "@radix-ui/react-toast";
import { cva } from "class-variance-authority";
import { CircleCheckIcon, CircleXIcon, InfoIcon, type LucideIcon, XIcon } from "lucide-react";
import { useSyncExternalStore } from "react";
import { cn } from "@/lib/cn";
import { buttonVariants } from "./button";

export type ToastVariant = "default" | "success" | "destructive";

export type ToastOptions = {
  title: string;
  description?: string;
  variant?: ToastVariant;
  /** Milliseconds before the toast closes itself; Radix's default is 5000. */
  duration?: number;
  action?: { label: string; onClick: () => void; altText?: string };
};

type ToastRecord = ToastOptions & { id: string; open: boolean };

const TOAST_LIMIT = 3;
// Closed toasts stay mounted long enough for Radix to play their exit animation.
const REMOVE_DELAY_MS = 300;
const NO_TOASTS: readonly ToastRecord[] = [];

// A module-level store rather than React context, so any client code (event handlers,
// mutation callbacks) can call toast() without being inside a provider.
let toasts: readonly ToastRecord[] = NO_TOASTS;
let nextId = 0;
const listeners = new Set<() => void>();

function setToasts(next: readonly ToastRecord[]) {
  toasts = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Closes one toast, or every toast when called without an id. */
export function dismissToast(id?: string): void {
  const closing = toasts.filter((t) => id === undefined || t.id === id).map((t) => t.id);
  setToasts(toasts.map((t) => (closing.includes(t.id) ? { ...t, open: false } : t)));
  setTimeout(() => {
    setToasts(toasts.filter((t) => t.open || !closing.includes(t.id)));
  }, REMOVE_DELAY_MS);
}

/** Shows a toast from client code; returns its id and a function that closes it. */
export function toast(options: ToastOptions): { id: string; dismiss: () => void } {
  nextId += 1;
  const id = String(nextId);
  setToasts([{ ...options, id, open: true }, ...toasts].slice(0, TOAST_LIMIT));
  return { id, dismiss: () => dismissToast(id) };
}

export function useToast() {
  const current = useSyncExternalStore(
    subscribe,
    () => toasts,
    () => NO_TOASTS,
  );
  return { toasts: current, toast, dismiss: dismissToast };
}

const toastVariants = cva(
  [
    "group pointer-events-auto relative flex w-full items-start gap-3 overflow-hidden rounded-lg border bg-popover p-4 pr-10 text-popover-foreground shadow-lg",
    "data-[state=open]:animate-slide-in-right data-[state=closed]:animate-fade-out data-[swipe=end]:animate-swipe-out-right motion-reduce:animate-none",
    "data-[swipe=move]:translate-x-(--radix-toast-swipe-move-x) data-[swipe=cancel]:translate-x-0 data-[swipe=cancel]:transition-transform",
  ],
  {
    variants: {
      variant: {
        default: "",
        success: "border-success/30",
        destructive: "border-destructive/40",
      },
    },
    defaultVariants: { variant: "default" },
  },
);

const variantIcon: Record<ToastVariant, { icon: LucideIcon; className: string }> = {
  default: { icon: InfoIcon, className: "text-info" },
  success: { icon: CircleCheckIcon, className: "text-success" },
  destructive: { icon: CircleXIcon, className: "text-destructive" },
};

function ToastItem({
  id,
  open,
  title,
  description,
  variant = "default",
  duration,
  action,
}: ToastRecord) {
  const { icon: Icon, className: iconClassName } = variantIcon[variant];
  return (
    <ToastPrimitive.Root
      open={open}
      onOpenChange={(isOpen) => {
        if (!isOpen) dismissToast(id);
      }}
      duration={duration}
      // Failures are announced assertively; confirmations politely.
      type={variant === "destructive" ? "foreground" : "background"}
      className={toastVariants({ variant })}
    >
      <Icon aria-hidden="true" className={cn("mt-0.5 size-5 shrink-0", iconClassName)} />
      <div className="grid flex-1 gap-1">
        <ToastPrimitive.Title className="text-sm font-semibold">{title}</ToastPrimitive.Title>
        {description && (
          <ToastPrimitive.Description className="text-sm text-muted-foreground">
            {description}
          </ToastPrimitive.Description>
        )}
        {action && (
          <ToastPrimitive.Action
            altText={action.altText ?? action.label}
            onClick={action.onClick}
            className={cn(buttonVariants({ variant: "outline", size: "sm" }), "mt-2 w-fit")}
          >
            {action.label}
          </ToastPrimitive.Action>
        )}
      </div>
      <ToastPrimitive.Close
        aria-label="Close"
        className="absolute top-3 right-3 rounded-sm p-0.5 text-muted-foreground opacity-70 transition-opacity hover:opacity-100 focus-visible:opacity-100 focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring"
      >
        <XIcon aria-hidden="true" className="size-4" />
      </ToastPrimitive.Close>
    </ToastPrimitive.Root>
  );
}

/** Renders the toasts raised with toast(); mount once, in the root layout. */
export function Toaster() {
  const { toasts: current } = useToast();
  return (
    <ToastPrimitive.Provider swipeDirection="right" label="Notification">
      {current.map((record) => (
        <ToastItem key={record.id} {...record} />
      ))}
      <ToastPrimitive.Viewport className="fixed right-0 bottom-0 z-[100] flex max-h-dvh w-full flex-col-reverse gap-2 p-4 outline-hidden sm:max-w-[420px]" />
    </ToastPrimitive.Provider>
  );
}
