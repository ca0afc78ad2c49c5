/** Hand-built operation specs (shaped like the five Zoom seeds) and a runtime factory for runtime tests. */
import { createRuntime, type ClientOptions, type OperationSpec, type Runtime } from "@zoomgen/runtime/zoom";
import type { RecordingServer } from "../support/replay-server.js";

export const TOKEN = "secret-token-123";
export const meta = { sdkName: "zoom-sdk", sdkVersion: "1.2.3", defaultBaseUrl: "https://api.zoom.us/v2" };

export const getUser: OperationSpec = {
  id: "user",
  method: "GET",
  path: "/users/{userId}",
  idempotent: true,
  successes: { "200": "json" },
};

export const updateAGroupMember: OperationSpec = {
  id: "updateAGroupMember",
  method: "PATCH",
  path: "/groups/{groupId}/members/{memberId}",
  idempotent: false,
  requestBody: { required: true, mediaTypes: ["application/json", "multipart/form-data"] },
  successes: { "204": "empty" },
};

export const imGroupCreate: OperationSpec = {
  id: "imGroupCreate",
  method: "POST",
  path: "/im/groups",
  idempotent: false,
  requestBody: { required: false, mediaTypes: ["application/json", "multipart/form-data"] },
  successes: { "200": "text", "201": "empty" },
};

export const addBatchRegistrants: OperationSpec = {
  id: "addBatchRegistrants",
  method: "POST",
  path: "/meetings/{meetingId}/batch_registrants",
  idempotent: false,
  requestBody: { required: false, mediaTypes: ["application/json", "multipart/form-data"] },
  successes: { "200": "json" },
};

export const inviteChannelMembers: OperationSpec = {
  id: "inviteChannelMembers",
  method: "POST",
  path: "/chat/users/{userId}/channels/{channelId}/members",
  idempotent: false,
  requestBody: { required: true, mediaTypes: ["application/json"] },
  successes: { "201": "json" },
};

/** A minimal openapi-typescript-style `paths` type for the `raw` client. */
export interface TestPaths {
  "/users/{userId}": {
    parameters: { query?: never; header?: never; path: { userId: string }; cookie?: never };
    get: {
      parameters: { query?: { login_type?: number }; header?: never; path: { userId: string }; cookie?: never };
      requestBody?: never;
      responses: {
        200: { headers: { [name: string]: unknown }; content: { "application/json": { id: string; email: string } } };
        404: { headers: { [name: string]: unknown }; content: { "application/json": { code: number; message: string } } };
      };
    };
  };
}

/** A runtime pointed at the test server's `/v2`; without retries unless `options.retry` asks for them. */
export function runtimeFor(server: Pick<RecordingServer, "url">, options: Partial<ClientOptions> = {}): Runtime<TestPaths> {
  return createRuntime<TestPaths>({ accessToken: TOKEN, baseUrl: `${server.url}/v2`, retry: false, ...options }, meta);
}
