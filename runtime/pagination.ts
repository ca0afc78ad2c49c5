/**
 * Token pagination: what a paged list operation returns. `await` gives the first page (like every
 * call), `for await (const item of promise)` walks every item of every page, and `promise.pages()`
 * walks the pages. Each page is one ordinary `runtime.call`, so retries, rate limits, timeouts, the
 * token and hooks apply per page. Generic: the cursor's names come from the operation's
 * `PaginationSpec` (Zoom's `next_page_token`, or any API's `x-zoomgen-pagination`).
 */
import { ApiPromise } from "./api-promise.js";
import { AbortError, ConfigError, InvalidResponseError } from "./errors.js";
import type { CallInput, OperationSpec, PaginationSpec } from "./types.js";

/** The part of the runtime pagination needs: one call per page. */
export interface PageCaller {
  call<TData>(operation: OperationSpec, input: CallInput | undefined): ApiPromise<TData>;
}

/**
 * The first page of a list, and the way to the others.
 *
 * The first page is requested at once; walking starts from it (it is not requested twice). The next
 * page is requested only when the walk asks for it, with the same input (path, query, headers,
 * options) and the cursor set: Zoom requires the other query parameters to stay the same, and a
 * cursor expires after 15 minutes, so a slow consumer can see the next request fail. The walk ends
 * after a page whose cursor is empty or absent; an aborted `signal` ends it with `AbortError`.
 */
export class PagePromise<TPage, TItem> extends ApiPromise<TPage> implements AsyncIterable<TItem> {
  readonly #caller: PageCaller;
  readonly #operation: OperationSpec;
  readonly #pagination: PaginationSpec;
  readonly #input: CallInput;

  constructor(caller: PageCaller, operation: OperationSpec, input: CallInput | undefined) {
    const pagination = operation.pagination;
    if (pagination === undefined) throw new ConfigError(`${operation.id} is not a paged operation (its OperationSpec has no pagination).`);
    const first = input ?? {};
    super(caller.call<TPage>(operation, first).withResponse());
    this.#caller = caller;
    this.#operation = operation;
    this.#pagination = pagination;
    this.#input = first;
  }

  /** Every page, the first one included, in order. */
  async *pages(): AsyncGenerator<TPage, void, undefined> {
    const { cursorParam, cursorField } = this.#pagination;
    const signal = this.#input.signal;
    const seen = new Set<string>();
    let page = (await this.withResponse()).data;
    for (;;) {
      yield page;
      const cursor = isRecord(page) ? page[cursorField] : undefined;
      if (typeof cursor !== "string" || cursor === "") return;
      if (seen.has(cursor)) {
        // A server that hands back a cursor it already gave would make this loop forever.
        throw new InvalidResponseError(`${this.#operation.id} returned the ${cursorField} "${cursor}" a second time; stopped paging to avoid a loop.`, {
          status: 200,
          body: "",
          operationId: this.#operation.id,
        });
      }
      seen.add(cursor);
      if (signal?.aborted) {
        throw new AbortError(`${this.#operation.id} was aborted by its AbortSignal between pages (${this.#operation.method} ${this.#operation.path}).`, {
          request: { operationId: this.#operation.id, method: this.#operation.method, url: this.#operation.path },
          attempts: 0,
        });
      }
      const query = { ...(this.#input.query as Record<string, unknown> | undefined), [cursorParam]: cursor };
      page = await this.#caller.call<TPage>(this.#operation, { ...this.#input, query });
    }
  }

  /** Every item of every page: the `itemsField` array of each (a page without it has no items). */
  async *[Symbol.asyncIterator](): AsyncGenerator<TItem, void, undefined> {
    const { itemsField } = this.#pagination;
    for await (const page of this.pages()) {
      const items = isRecord(page) ? page[itemsField] : undefined;
      if (Array.isArray(items)) yield* items as TItem[];
    }
  }
}

/** What a generated method of a paged operation returns. */
export function paginate<TPage, TItem>(caller: PageCaller, operation: OperationSpec, input: CallInput | undefined): PagePromise<TPage, TItem> {
  return new PagePromise<TPage, TItem>(caller, operation, input);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
