/**
 * The OpenAPI "Style Examples" table (3.1.1, which follows RFC 6570), row by row, on the wire: each
 * value is sent through `runtime.call` to a real server on 127.0.0.1 and the raw request line,
 * headers and cookies it received are compared byte for byte.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ValidationError, type OperationSpec, type ParameterSpec } from "@zoomgen/runtime/zoom";
import { reply, startRecordingServer, type RecordingServer } from "../support/replay-server.js";
import { runtimeFor } from "./fixtures.js";

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer((_req, res) => reply(res, 200, {}));
});
afterAll(() => server.close());
afterEach(() => server.reset());

const string = "blue";
const array = ["blue", "black", "brown"];
const object = { R: 100, G: 200, B: 150 };

function operation(parameter: ParameterSpec): OperationSpec {
  const path = parameter.in === "path" ? `/colors/{${parameter.name}}` : "/colors";
  return { id: "styles", method: "GET", path, idempotent: true, successes: { "200": "json" }, parameters: [parameter] };
}

async function send(parameter: ParameterSpec, value: unknown) {
  const runtime = runtimeFor(server);
  await runtime.call(operation(parameter), { [parameter.in]: { [parameter.name]: value } });
  return server.lastRequest();
}

type Row = [style: ParameterSpec["style"], explode: boolean, string: string, array: string, object: string];

describe("path parameters (the spec's table)", () => {
  const rows: Row[] = [
    ["simple", false, "blue", "blue,black,brown", "R,100,G,200,B,150"],
    ["simple", true, "blue", "blue,black,brown", "R=100,G=200,B=150"],
    ["label", false, ".blue", ".blue,black,brown", ".R,100,G,200,B,150"],
    ["label", true, ".blue", ".blue.black.brown", ".R=100.G=200.B=150"],
    ["matrix", false, ";color=blue", ";color=blue,black,brown", ";color=R,100,G,200,B,150"],
    ["matrix", true, ";color=blue", ";color=blue;color=black;color=brown", ";R=100;G=200;B=150"],
  ];
  for (const [style, explode, forString, forArray, forObject] of rows) {
    it(`${style}, explode ${explode}`, async () => {
      const spec: ParameterSpec = { name: "color", in: "path", style, explode };
      expect((await send(spec, string)).path).toBe(`/v2/colors/${forString}`);
      expect((await send(spec, array)).path).toBe(`/v2/colors/${forArray}`);
      expect((await send(spec, object)).path).toBe(`/v2/colors/${forObject}`);
    });
  }

  it("keeps the safe-segment rules for simple values", async () => {
    const spec: ParameterSpec = { name: "color", in: "path", style: "simple", explode: false };
    expect((await send(spec, "/abc")).path).toBe("/v2/colors/%252Fabc");
    expect((await send(spec, "a b")).path).toBe("/v2/colors/a%20b");
    await expect(send(spec, "..")).rejects.toBeInstanceOf(ValidationError);
  });
});

describe("query parameters (the spec's table)", () => {
  const rows: Row[] = [
    ["form", false, "color=blue", "color=blue,black,brown", "color=R,100,G,200,B,150"],
    ["form", true, "color=blue", "color=blue&color=black&color=brown", "R=100&G=200&B=150"],
    ["spaceDelimited", false, "color=blue", "color=blue%20black%20brown", "color=R%20100%20G%20200%20B%20150"],
    ["pipeDelimited", false, "color=blue", "color=blue%7Cblack%7Cbrown", "color=R%7C100%7CG%7C200%7CB%7C150"],
  ];
  for (const [style, explode, forString, forArray, forObject] of rows) {
    it(`${style}, explode ${explode}`, async () => {
      const spec: ParameterSpec = { name: "color", in: "query", style, explode };
      expect((await send(spec, string)).rawQuery).toBe(forString);
      expect((await send(spec, array)).rawQuery).toBe(forArray);
      expect((await send(spec, object)).rawQuery).toBe(forObject);
    });
  }

  it("deepObject: color[R]=100&color[G]=200&color[B]=150", async () => {
    const spec: ParameterSpec = { name: "color", in: "query", style: "deepObject", explode: true };
    const request = await send(spec, object);
    expect(request.rawQuery).toBe("color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150");
    expect(request.query).toEqual([["color[R]", "100"], ["color[G]", "200"], ["color[B]", "150"]]);
    await expect(send(spec, "blue")).rejects.toThrow(/deepObject parameter must be an object/);
  });

  it("allowReserved leaves reserved characters as they are; without it they are encoded", async () => {
    const value = "a/b?c=d&e,f";
    expect((await send({ name: "q", in: "query", style: "form", explode: true, allowReserved: true }, value)).rawQuery).toBe("q=a/b?c=d&e,f");
    expect((await send({ name: "q", in: "query", style: "form", explode: true }, value)).rawQuery).toBe("q=a%2Fb%3Fc%3Dd%26e%2Cf");
  });

  it("a content-typed parameter is JSON, percent-encoded", async () => {
    const spec: ParameterSpec = { name: "filter", in: "query", style: "form", explode: true, contentType: "application/json" };
    const request = await send(spec, { a: 1, tags: ["x"] });
    expect(request.rawQuery).toBe(`filter=${encodeURIComponent('{"a":1,"tags":["x"]}')}`);
  });
});

describe("header and cookie parameters", () => {
  it("header, simple: primitives, arrays and objects, not percent-encoded", async () => {
    const simple: ParameterSpec = { name: "X-Color", in: "header", style: "simple", explode: false };
    expect((await send(simple, "blue green")).headers["x-color"]).toBe("blue green");
    expect((await send(simple, array)).headers["x-color"]).toBe("blue,black,brown");
    expect((await send(simple, object)).headers["x-color"]).toBe("R,100,G,200,B,150");
    expect((await send({ ...simple, explode: true }, object)).headers["x-color"]).toBe("R=100,G=200,B=150");
  });

  it("cookie, form: one Cookie header", async () => {
    expect((await send({ name: "color", in: "cookie", style: "form", explode: true }, "blue")).headers.cookie).toBe("color=blue");
    expect((await send({ name: "color", in: "cookie", style: "form", explode: false }, array)).headers.cookie).toBe("color=blue,black,brown");
    expect((await send({ name: "color", in: "cookie", style: "form", explode: true }, "a;b")).headers.cookie).toBe("color=a%3Bb");
  });

  it("a required header or cookie that is missing fails before anything is sent", async () => {
    const runtime = runtimeFor(server);
    const spec: OperationSpec = {
      ...operation({ name: "X-Request-Id", in: "header", style: "simple", explode: false, required: true }),
      parameters: [
        { name: "X-Request-Id", in: "header", style: "simple", explode: false, required: true },
        { name: "session", in: "cookie", style: "form", explode: true, required: true },
      ],
    };
    const error = await runtime.call(spec, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual(["header.X-Request-Id", "cookie.session"]);
    expect(server.requests).toHaveLength(0);
    await expect(runtime.call(spec, { header: { "X-Request-Id": "a\r\nb" }, cookie: { session: "s" } })).rejects.toBeInstanceOf(ValidationError);
  });
});
