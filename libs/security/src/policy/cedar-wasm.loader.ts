import type * as CedarWasm from '@cedar-policy/cedar-wasm/nodejs';

export type Cedar = typeof CedarWasm;

let loaded: Cedar | undefined;

/**
 * cedar-wasm compiles a 4 MB WebAssembly module when it is first required (about 150 ms), so it
 * is loaded on first use: only the processes that evaluate or validate policies pay for it, not
 * every importer of @gateway/security.
 */
export function cedarWasm(): Cedar {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('@cedar-policy/cedar-wasm/nodejs') as Cedar;
  return loaded;
}
