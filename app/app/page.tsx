import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/session";
import { membershipsOf } from "@/lib/db/accounts";

// Where sign-in lands when no callbackUrl was given: the user's first organisation.
export const dynamic = "force-dynamic";

export default async function AppHomePage() {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  const [first] = await membershipsOf(user.id);
  redirect(first ? `/o/${encodeURIComponent(first.organization.slug)}/workflows` : "/sign-up");
}
