// Shared by the server page (reading ?tab=) and the client tabs, so not in a "use client" file.

export const SETTINGS_TABS = [
  { value: "general", label: "General" },
  { value: "members", label: "Members" },
  { value: "invitations", label: "Invitations" },
  { value: "api-keys", label: "API keys" },
  { value: "credentials", label: "Credentials" },
  { value: "webhooks", label: "Webhooks" },
] as const;

export type SettingsTab = (typeof SETTINGS_TABS)[number]["value"];

export function isSettingsTab(value: unknown): value is SettingsTab {
  return SETTINGS_TABS.some((tab) => tab.value === value);
}
