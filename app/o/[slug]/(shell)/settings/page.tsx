import type { Metadata } from "next";
import { PageHeader } from "@/components/app-shell/page-header";
import { SettingsTabs } from "@/components/settings/settings-tabs";
import { isSettingsTab } from "@/components/settings/tabs";

export const metadata: Metadata = { title: "Settings" };

type SettingsPageProps = { searchParams: Promise<{ tab?: string | string[] }> };

export default async function SettingsPage({ searchParams }: SettingsPageProps) {
  const { tab } = await searchParams;
  return (
    <>
      <PageHeader
        title="Settings"
        description="Your organisation's name and address, its members and invitations, API keys, the credentials its workflows use, and the webhooks that start them."
      />
      <SettingsTabs initialTab={isSettingsTab(tab) ? tab : "general"} />
    </>
  );
}
