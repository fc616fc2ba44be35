import Link from "next/link";
import { Logo } from "@/components/brand/logo";
import { DEMO_SIGN_IN_PATH } from "./demo-workspace";

const linkClass =
  "rounded-sm hover:text-foreground focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring";

export function SiteFooter() {
  return (
    <footer className="border-t">
      <div className="mx-auto flex max-w-6xl flex-col gap-6 px-6 py-10 text-sm text-muted-foreground md:flex-row md:items-center md:justify-between">
        <div className="space-y-2">
          <Logo className="text-foreground" />
          <p>Lifecycle automation for HR and IT teams.</p>
        </div>
        <nav aria-label="Footer">
          <ul className="flex flex-wrap gap-x-6 gap-y-2">
            <li>
              <a href="/#how-it-works" className={linkClass}>
                How it works
              </a>
            </li>
            <li>
              <a href="/#features" className={linkClass}>
                Features
              </a>
            </li>
            <li>
              <Link href={DEMO_SIGN_IN_PATH} className={linkClass}>
                Demo workspace
              </Link>
            </li>
            <li>
              <Link href="/docs/api" className={linkClass}>
                API reference
              </Link>
            </li>
          </ul>
        </nav>
      </div>
    </footer>
  );
}
