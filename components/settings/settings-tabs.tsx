"use client";

import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { ApiKeysSettings } from "./api-keys-settings";
import { CredentialsSettings } from "./credentials-settings";
import { GeneralSettings } from "./general-settings";
import { InvitationsSettings } from "./invitations-settings";
import { MembersSettings } from "./members-settings";
import { SETTINGS_TABS, type SettingsTab } from "./tabs";
import { WebhookEndpointsSettings } from "./webhook-endpoints-settings";

/** The open tab is mirrored in ?tab= so a reload or a shared link lands on it. */
export function SettingsTabs({ initialTab }: { initialTab: SettingsTab }) {
  function onValueChange(value: string) {
    const url = new URL(window.location.href);
    if (value === "general") url.searchParams.delete("tab");
    else url.searchParams.set("tab", value);
    window.history.replaceState(window.history.state, "", url);
  }

  return (
    <Tabs defaultValue={initialTab} onValueChange={onValueChange}>
      <TabsList className="max-w-full overflow-x-auto">
        {SETTINGS_TABS.map((tab) => (
          <TabsTrigger key={tab.value} value={tab.value}>
            {tab.label}
          </TabsTrigger>
        ))}
      </TabsList>
      <TabsContent value="general">
        <GeneralSettings />
      </TabsContent>
      <TabsContent value="members">
        <MembersSettings />
      </TabsContent>
      <TabsContent value="invitations">
        <InvitationsSettings />
      </TabsContent>
      <TabsContent value="api-keys">
        <ApiKeysSettings />
      </TabsContent>
      <TabsContent value="credentials">
        <CredentialsSettings />
      </TabsContent>
      <TabsContent value="webhooks">
        <WebhookEndpointsSettings />
      </TabsContent>
    </Tabs>
  );
}
