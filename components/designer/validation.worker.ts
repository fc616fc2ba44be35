import { validateDefinitionSync } from "@/lib/workflows/validate";

// The validator off the main thread: a 500-node workflow takes a few hundred
// milliseconds to check, which would otherwise freeze the canvas after every
// edit (and on opening).

type Request = { id: number; definition: unknown };

self.onmessage = (event: MessageEvent<Request>) => {
  const { problems } = validateDefinitionSync(event.data.definition);
  self.postMessage({ id: event.data.id, problems });
};
