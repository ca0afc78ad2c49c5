/**
 * `zoomgen.config.{ts,js,json}`: every CLI option, and several clients from one file
 * (`clients: [{ spec, out }, ...]`; top-level options apply to each). Found in the current
 * folder or given with `--config FILE`; paths in it are relative to the file. Flags override it.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { GeneratorError } from "./errors.js";
import { CONFIG_NAMES } from "./fast-path.js";

export interface ClientOptions {
  readonly spec?: string;
  readonly out?: string;
  readonly templates?: string;
  readonly name?: string;
  readonly check?: boolean;
  readonly noCache?: boolean;
  readonly report?: string;
  readonly reportJson?: string;
  readonly failOnBreaking?: boolean;
  /** `zoom` or `generic` (checked by the CLI). */
  readonly profile?: string;
  /** `package` or `bundle` (checked by the CLI). */
  readonly runtime?: string;
}

export interface ZoomgenConfig extends ClientOptions {
  readonly clients?: readonly ClientOptions[];
}

const STRING_KEYS = ["spec", "out", "templates", "name", "report", "reportJson", "profile", "runtime"] as const;
const BOOLEAN_KEYS = ["check", "noCache", "failOnBreaking"] as const;
const PATH_KEYS: ReadonlySet<string> = new Set(["spec", "out", "templates", "report", "reportJson"]);

/** The clients the config file describes, each with paths resolved; undefined when there is no config file. */
export async function loadConfig(explicit: string | undefined, cwd = process.cwd()): Promise<{ file: string; clients: ClientOptions[] } | undefined> {
  const file = explicit ? path.resolve(cwd, explicit) : CONFIG_NAMES.map((name) => path.join(cwd, name)).find((f) => existsSync(f));
  if (!file) return undefined;
  const display = path.relative(cwd, file) || file;
  let raw: unknown;
  try {
    if (file.endsWith(".json")) raw = JSON.parse(await readFile(file, "utf8"));
    else raw = ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "ERR_UNKNOWN_FILE_EXTENSION" ? "a .ts config needs a TypeScript-aware runner (tsx); use .js or .json" : (error as Error).message;
    throw new GeneratorError(`cannot read config ${display}: ${reason}`, { cause: error });
  }
  const base = path.dirname(file);
  const top = checkOptions(raw, display, "", true);
  const { clients, ...shared } = top;
  const list = clients && clients.length > 0 ? clients.map((c, i) => ({ ...shared, ...checkOptions(c, display, `clients[${i}].`, false) })) : [shared];
  return { file, clients: list.map((client) => resolvePaths(client, base)) };
}

function checkOptions(value: unknown, file: string, where: string, allowClients: boolean): ZoomgenConfig {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new GeneratorError(`config ${file}: ${where || "the file"} must be an object (export default { spec, out } in .js/.ts)`);
  }
  for (const [key, v] of Object.entries(value)) {
    if ((STRING_KEYS as readonly string[]).includes(key)) {
      if (typeof v !== "string") throw new GeneratorError(`config ${file}: ${where}${key} must be a string`);
    } else if ((BOOLEAN_KEYS as readonly string[]).includes(key)) {
      if (typeof v !== "boolean") throw new GeneratorError(`config ${file}: ${where}${key} must be true or false`);
    } else if (key === "clients" && allowClients) {
      if (!Array.isArray(v)) throw new GeneratorError(`config ${file}: clients must be a list of { spec, out, ... }`);
    } else {
      const known = [...STRING_KEYS, ...BOOLEAN_KEYS, ...(allowClients ? ["clients"] : [])].join(", ");
      throw new GeneratorError(`config ${file}: unknown key "${where}${key}" (known: ${known})`);
    }
  }
  return value as ZoomgenConfig;
}

function resolvePaths(client: ClientOptions, base: string): ClientOptions {
  return Object.fromEntries(Object.entries(client).map(([k, v]) => [k, PATH_KEYS.has(k) && typeof v === "string" ? path.resolve(base, v) : v])) as ClientOptions;
}
