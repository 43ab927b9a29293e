// Types of scripts/editions.mjs (a plain ES module, so that scripts/build.mjs runs under node
// without tsx), for the TypeScript that imports it: scripts/clasp-setup.ts and the tests.
import type { Edition } from '../src/edition';

export type { Edition };

export interface EditionInfo {
  /** The build output clasp pushes (a folder in the repository root). */
  outDir: string;
  /** clasp's project file naming the edition's Apps Script project (`clasp --project <file>`). */
  projectFile: string;
  /** The title `npm run setup` gives a new project. */
  title: string;
  /** Scopes added to appsscript.json's for this edition. */
  extraScopes: readonly string[];
}

export interface Manifest {
  oauthScopes?: string[];
  [key: string]: unknown;
}

export const BIGQUERY_READONLY: string;
export const EDITIONS: Readonly<Record<Edition, EditionInfo>>;
export const DEFAULT_EDITION: Edition;
export function isEdition(value: unknown): value is Edition;
export function editionFromArgs(argv: readonly string[]): Edition;
export function manifestFor(base: Manifest, edition: Edition): Manifest;
export function buildEdition(root: string, edition: Edition, outDir?: string): Promise<string>;
