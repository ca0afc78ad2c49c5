import { describe, expect, it } from "vitest";
import { docComment, docInline, mdCode, mdCodeBlock, mdInline, tsJsonString, tsKey, tsString, tsValue } from "../../generator/escape.js";
import { parsePointer, pointerAt, pointerSegment, topKey, type Place } from "../../generator/json-pointer.js";
import { camelCase, nameFromRoute, pascalCase, words } from "../../generator/names.js";
import * as ts from "typescript";

/** Parses `source` as TypeScript and returns its syntax errors: generated text must always parse. */
function syntaxErrors(source: string): string[] {
  const file = ts.createSourceFile("x.ts", source, ts.ScriptTarget.ES2022, true);
  return (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

const HOSTILE = [
  "*/ console.log('pwned'); /*",
  "`${process.exit(1)}`",
  'quote " and \\ backslash',
  "line\nbreak\r\nand\u2028separator\u2029",
  "</script><!--",
  "'single'",
];

describe("names", () => {
  it.each([
    ["list_tasks", "listTasks"],
    ["Chat Channels", "chatChannels"],
    ["IM Groups", "imGroups"],
    ["getUser", "getUser"],
    ["list-id", "listId"],
    ["HTTPServerStatus", "httpServerStatus"],
    ["2fa setup", "_2faSetup"],
    ["***", ""],
  ])("camelCase(%j) is %j", (input, expected) => {
    expect(camelCase(input)).toBe(expected);
  });

  it.each([
    ["getUser", "GetUser"],
    ["delete", "OpDelete"],
    ["class", "OpClass"],
    ["3d", "Op3d"],
  ])("pascalCase(%j) is %j, never a reserved word or a leading digit", (input, expected) => {
    expect(pascalCase(input)).toBe(expected);
  });

  it("derives a method name from the route when there is no operationId", () => {
    expect(nameFromRoute("get", "/lists/{list-id}/tasks")).toBe("getListsByListIdTasks");
    expect(nameFromRoute("post", "/")).toBe("post");
  });

  it("splits words at case changes, digits and punctuation", () => {
    expect(words("addBatchRegistrants")).toEqual(["add", "Batch", "Registrants"]);
    expect(words("x-zoom_id.v2")).toEqual(["x", "zoom", "id", "v2"]);
  });
});

describe("escaping for TypeScript", () => {
  it.each(HOSTILE)("tsString keeps %j exact and parseable", (value) => {
    const literal = tsString(value);
    expect(syntaxErrors(`const x = ${literal};`)).toEqual([]);
    expect(new Function(`return ${literal};`)()).toBe(value);
  });

  it("tsJsonString gives a string that JSON.parse turns back into the value, hostile keys and strings included", () => {
    const value = { strings: HOSTILE, [HOSTILE[2]!]: { n: -1.5, ok: true, none: null }, __proto__key: ["a'b", "c\\d"] };
    const withProto = JSON.parse(`{"__proto__": ${JSON.stringify(HOSTILE)}}`) as object;
    for (const data of [value, withProto]) {
      const literal = tsJsonString(data);
      expect(syntaxErrors(`const x = JSON.parse(${literal});`)).toEqual([]);
      const parsed = JSON.parse(new Function(`return ${literal};`)() as string) as object;
      expect(parsed).toEqual(data);
      expect(Object.keys(parsed)).toEqual(Object.keys(data)); // `__proto__` stays an own property
    }
  });

  it("tsKey quotes only what is not an identifier", () => {
    expect(tsKey("userId")).toBe("userId");
    expect(tsKey("list-id")).toBe('"list-id"');
    expect(tsKey("*/")).toBe('"*/"');
  });

  it("tsValue writes any JSON value as an expression", () => {
    const value = { a: HOSTILE, n: 1, b: null };
    expect(new Function(`return ${tsValue(value)};`)()).toEqual(value);
  });

  it.each(HOSTILE)("docComment cannot be closed early by %j", (value) => {
    const comment = docComment([value, "second paragraph"]);
    const source = `${comment}\nexport const after = 1;`;
    expect(syntaxErrors(source)).toEqual([]);
    // Exactly one comment, which ends right before the declaration.
    expect(comment.match(/\*\//g)).toHaveLength(1);
    expect(comment.endsWith("*/")).toBe(true);
  });

  it.each(HOSTILE)("docInline keeps %j on one line inside a comment", (value) => {
    const source = `/** Summary: ${docInline(value)} */\nexport const after = 1;`;
    expect(syntaxErrors(source)).toEqual([]);
    expect(source.match(/\*\//g)).toHaveLength(1);
  });

  it("docComment drops empty parts and gives nothing for nothing", () => {
    expect(docComment([undefined, "  "])).toBe("");
    expect(docComment(["a", undefined, "b"], "  ")).toBe("  /**\n   * a\n   *\n   * b\n   */");
  });
});

describe("escaping for Markdown", () => {
  it("mdInline keeps a table cell on one line with no raw HTML or cell breaks", () => {
    expect(mdInline("a | b\nc <script>")).toBe("a \\| b c &lt;script&gt;");
    expect(mdInline(undefined)).toBe("");
  });

  it("mdInline leaves no live image, link, autolink or HTML: URLs become code", () => {
    const hostile = '![pixel](https://track.example/p.gif) [Log in](http://phish.example/login) <img src=x onerror=alert(1)> www.evil.example me@evil.example *bold* `code` # & ~x~';
    expect(mdInline(hostile)).toBe(
      "\\!\\[pixel\\]\\(`https://track.example/p.gif)` \\[Log in\\]\\(`http://phish.example/login)` " +
        "&lt;img src=x onerror=alert\\(1\\)&gt; `www.evil.example` `me@evil.example` \\*bold\\* \\`code\\` \\# &amp; \\~x\\~",
    );
  });

  it("mdCode keeps a code span closed: a backtick cannot end it", () => {
    expect(mdCode("/a/`b`/{c}|d")).toBe("/a/'b'/{c}\\|d");
  });

  it("mdCodeBlock uses a fence longer than any backtick run inside", () => {
    const block = mdCodeBlock("const s = ```;", "ts");
    expect(block.startsWith("````ts\n")).toBe(true);
    expect(block.endsWith("\n````")).toBe(true);
  });
});

describe("JSON pointers", () => {
  it("escapes and parses keys with / and ~, with or without #, and decodes URI escapes", () => {
    const keys = ["paths", "/users/{userId}", "a~b", "100%"];
    expect(parsePointer(`#/${keys.map(pointerSegment).join("/")}`)).toEqual(keys);
    expect(parsePointer("/components/schemas/Zoom%20Error")).toEqual(["components", "schemas", "Zoom Error"]);
    expect(parsePointer("#")).toEqual([]);
  });

  it("makes a place's pointer (a walk's parent-and-key chain) only when asked, escaped as pointerSegment does", () => {
    const keys = ["paths", "/users/{userId}", "a~b", "0", ""];
    const place = keys.reduce<Place | undefined>((parent, key) => ({ parent, key }), undefined);
    expect(pointerAt(place)).toBe(`#/${keys.map(pointerSegment).join("/")}`);
    expect(pointerAt(place)).toBe("#/paths/~1users~1{userId}/a~0b/0/");
    expect(pointerAt(undefined)).toBe("#");
    expect(topKey(place)).toBe("paths");
    expect(topKey({ parent: undefined, key: "components" })).toBe("components");
    expect(topKey(undefined)).toBeUndefined();
  });
});
