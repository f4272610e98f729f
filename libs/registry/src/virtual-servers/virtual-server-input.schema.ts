import { z } from 'zod';
import { InvalidVirtualServerError } from './virtual-server.errors';

/* What an operator writes for a virtual server, in the config file or an admin API body. */

const nameRule = 'expected 1-64 characters of letters, digits, "_" or "-"';
const exposedName = z.string({ error: nameRule }).regex(/^[A-Za-z0-9_-]{1,64}$/, nameRule);
const serverRule = `expected a server name: ${nameRule}`;
const serverReference = z.string({ error: serverRule }).regex(/^[A-Za-z0-9_-]{1,64}$/, serverRule);

export const virtualServerNameSchema = exposedName;

/** Text that may not be empty; one message whether it is absent, not text or empty. */
function required(message: string): z.ZodString {
  return z.string({ error: message }).min(1, message);
}

const toolEntry = z
  .object({
    server: serverReference,
    name: required("expected the tool's name on its server"),
    alias: exposedName.optional(),
    description: z.string().optional(),
  })
  .strict();

const resourceEntry = z
  .object({
    server: serverReference,
    uri: required("expected the resource's URI on its server"),
  })
  .strict();

const promptEntry = z
  .object({
    server: serverReference,
    name: required("expected the prompt's name on its server"),
    alias: exposedName.optional(),
    description: z.string().optional(),
  })
  .strict();

const fields = {
  description: z.string().optional(),
  servers: z.array(serverReference).optional(),
  tools: z.array(toolEntry).optional(),
  resources: z.array(resourceEntry).optional(),
  prompts: z.array(promptEntry).optional(),
};

type Entries = {
  servers?: readonly string[] | undefined;
  tools?: readonly z.infer<typeof toolEntry>[] | undefined;
  resources?: readonly z.infer<typeof resourceEntry>[] | undefined;
  prompts?: readonly z.infer<typeof promptEntry>[] | undefined;
};

/** Flags each entry whose identity an earlier entry of the list already has. */
function flagRepeats<Entry>(
  entries: readonly Entry[] | undefined,
  identity: (entry: Entry) => string | undefined,
  issue: (entry: Entry, firstIndex: number) => { path: (string | number)[]; message: string },
  context: z.RefinementCtx,
  list: string,
): void {
  const firstIndexOf = new Map<string, number>();
  entries?.forEach((entry, index) => {
    const key = identity(entry);
    if (key === undefined) return;
    const first = firstIndexOf.get(key);
    if (first === undefined) {
      firstIndexOf.set(key, index);
      return;
    }
    const { path, message } = issue(entry, first);
    context.addIssue({ code: 'custom', path: [list, index, ...path], message });
  });
}

/** Within one virtual server: nothing listed twice, and no alias given twice. */
function checkEntries(virtualServer: Entries, context: z.RefinementCtx): void {
  flagRepeats(
    virtualServer.servers,
    (server) => server,
    (server, first) => ({ path: [], message: `"${server}" is already listed as servers.${first}` }),
    context,
    'servers',
  );
  for (const list of ['tools', 'prompts'] as const) {
    const entries = virtualServer[list];
    flagRepeats(
      entries,
      (entry) => JSON.stringify([entry.server, entry.name]),
      (entry, first) => ({
        path: ['name'],
        message: `"${entry.name}" of server "${entry.server}" is already listed as ${list}.${first}`,
      }),
      context,
      list,
    );
    flagRepeats(
      entries,
      (entry) => entry.alias,
      (entry, first) => ({
        path: ['alias'],
        message: `alias "${entry.alias}" is already given to ${list}.${first}`,
      }),
      context,
      list,
    );
  }
  flagRepeats(
    virtualServer.resources,
    (entry) => JSON.stringify([entry.server, entry.uri]),
    (entry, first) => ({
      path: ['uri'],
      message: `"${entry.uri}" of server "${entry.server}" is already listed as resources.${first}`,
    }),
    context,
    'resources',
  );
}

/** One entry of `virtualServers:` in the gateway config file. */
export const declaredVirtualServerSchema = z
  .object({ name: exposedName, ...fields })
  .strict()
  .superRefine(checkEntries);

export type DeclaredVirtualServer = z.infer<typeof declaredVirtualServerSchema>;

const revisionRule = 'expected the whole-number revision the change was made against';

/**
 * The body of PUT /api/v1/virtual-servers/:name: the `virtualServer` that GET returns. The name, if
 * given, must be the path's; a revision, if given, must be the current one (0: not created yet).
 */
export const virtualServerBodySchema = z
  .object({
    name: exposedName.optional(),
    ...fields,
    revision: z.int({ error: revisionRule }).nonnegative(revisionRule).optional(),
  })
  .strict()
  .superRefine(checkEntries);

export type VirtualServerBody = z.infer<typeof virtualServerBodySchema>;

export interface ServerReferenceProblem {
  readonly path: readonly (string | number)[];
  readonly server: string;
}

/** Every place a virtual server names a server that `exists` does not know, with its path. */
export function unknownServerReferences(
  virtualServer: Entries,
  exists: (serverName: string) => boolean,
): ServerReferenceProblem[] {
  const problems: ServerReferenceProblem[] = [];
  virtualServer.servers?.forEach((server, index) => {
    if (!exists(server)) problems.push({ path: ['servers', index], server });
  });
  for (const list of ['tools', 'resources', 'prompts'] as const) {
    virtualServer[list]?.forEach((entry, index) => {
      if (!exists(entry.server)) problems.push({ path: [list, index, 'server'], server: entry.server });
    });
  }
  return problems;
}

function describeIssue(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[] = []): string[] {
  const path = [...prefix, ...issue.path].map(String);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${[...path, key].join('.')}: unknown field`);
  }
  return [`${path.join('.') || '(body)'}: ${issue.message}`];
}

/**
 * Validates a PUT: the path's name, the body, and that every server it names is in the catalog.
 * Throws InvalidVirtualServerError listing every problem with its field path.
 */
export function parseVirtualServerBody(
  name: string,
  body: unknown,
  serverExists: (serverName: string) => boolean,
): VirtualServerBody & { name: string } {
  const problems: string[] = [];
  const validName = virtualServerNameSchema.safeParse(name);
  if (!validName.success)
    problems.push(...validName.error.issues.flatMap((issue) => describeIssue(issue, ['name'])));
  const parsed = virtualServerBodySchema.safeParse(body);
  if (!parsed.success) problems.push(...parsed.error.issues.flatMap((issue) => describeIssue(issue)));
  if (parsed.success) {
    if (parsed.data.name !== undefined && parsed.data.name !== name) {
      problems.push(`name: "${parsed.data.name}" differs from the path's "${name}"`);
    }
    for (const { path, server } of unknownServerReferences(parsed.data, serverExists)) {
      problems.push(`${path.join('.')}: no server named "${server}" in the catalog`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new InvalidVirtualServerError(problems);
  return { ...parsed.data, name };
}
