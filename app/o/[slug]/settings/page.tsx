import { KeyRoundIcon, PlugIcon, UsersIcon, WebhookIcon } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/app-shell/empty-state";
import { PageHeader } from "@/components/app-shell/page-header";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";

export const metadata: Metadata = { title: "Settings" };

export default function SettingsPage() {
  return (
    <>
      <PageHeader
        title="Settings"
        description="Members, integrations, webhook endpoints and API keys for this organisation."
      />
      <Tabs defaultValue="members">
        <TabsList className="max-w-full overflow-x-auto">
          <TabsTrigger value="members">Members</TabsTrigger>
          <TabsTrigger value="integrations">Integrations</TabsTrigger>
          <TabsTrigger value="webhooks">Webhooks</TabsTrigger>
          <TabsTrigger value="api-keys">API keys</TabsTrigger>
        </TabsList>
        <TabsContent value="members">
          <EmptyState
            icon={UsersIcon}
            title="No members yet"
            description="People you invite will appear here with their role: owner, admin, editor or viewer."
          />
        </TabsContent>
        <TabsContent value="integrations">
          <EmptyState
            icon={PlugIcon}
            title="No integrations connected"
            description="Connected services such as Slack, email and identity providers, with their encrypted credentials, will appear here."
          />
        </TabsContent>
        <TabsContent value="webhooks">
          <EmptyState
            icon={WebhookIcon}
            title="No webhook endpoints yet"
            description="Endpoints your HR system posts lifecycle events to will appear here, with their signing secret and delivery log."
          />
        </TabsContent>
        <TabsContent value="api-keys">
          <EmptyState
            icon={KeyRoundIcon}
            title="No API keys yet"
            description="Keys for calling the OfficeFlow REST API from your own systems will appear here."
          />
        </TabsContent>
      </Tabs>
    </>
  );
}
