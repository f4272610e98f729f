import type { CallToolResult, GetPromptResult, ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import {
  exposeCallToolResult,
  exposeGetPromptResult,
  exposeReadResourceResult,
  type ResourceUriScope,
} from './content-uri-rewriting';

const prefixed: ResourceUriScope = { serverLabel: 'files', prefixed: true };
const single: ResourceUriScope = { serverLabel: 'files', prefixed: false };

const toolResult: CallToolResult = {
  content: [
    { type: 'text', text: 'see file:///a.txt' },
    { type: 'resource_link', uri: 'file:///a.txt', name: 'a', mimeType: 'text/plain', _meta: { k: 1 } },
    {
      type: 'resource',
      resource: { uri: 'file:///b.txt', text: 'bee', mimeType: 'text/plain' },
      annotations: { priority: 1 },
    },
  ],
  structuredContent: { path: 'file:///a.txt' },
  isError: false,
};

describe('exposeCallToolResult', () => {
  it('points resource links and embedded resources at exposed URIs and keeps everything else', () => {
    expect(exposeCallToolResult(toolResult, prefixed)).toEqual({
      content: [
        { type: 'text', text: 'see file:///a.txt' },
        {
          type: 'resource_link',
          uri: 'gateway://files/file:///a.txt',
          name: 'a',
          mimeType: 'text/plain',
          _meta: { k: 1 },
        },
        {
          type: 'resource',
          resource: { uri: 'gateway://files/file:///b.txt', text: 'bee', mimeType: 'text/plain' },
          annotations: { priority: 1 },
        },
      ],
      structuredContent: { path: 'file:///a.txt' },
      isError: false,
    });
  });

  it('does not change the upstream result it was given', () => {
    const before = structuredClone(toolResult);
    exposeCallToolResult(toolResult, prefixed);
    expect(toolResult).toEqual(before);
  });

  it('returns the result as it is when a single server is exposed', () => {
    expect(exposeCallToolResult(toolResult, single)).toBe(toolResult);
  });
});

describe('exposeReadResourceResult', () => {
  it('exposes the URI of every content', () => {
    const result: ReadResourceResult = {
      contents: [
        { uri: 'file:///a.txt', text: 'a' },
        { uri: 'file:///b.bin', blob: 'AA==', mimeType: 'application/octet-stream' },
      ],
    };
    expect(exposeReadResourceResult(result, prefixed).contents).toEqual([
      { uri: 'gateway://files/file:///a.txt', text: 'a' },
      { uri: 'gateway://files/file:///b.bin', blob: 'AA==', mimeType: 'application/octet-stream' },
    ]);
  });
});

describe('exposeGetPromptResult', () => {
  it('exposes the URIs of resources in prompt messages', () => {
    const result: GetPromptResult = {
      description: 'review',
      messages: [
        { role: 'user', content: { type: 'text', text: 'Review this' } },
        { role: 'user', content: { type: 'resource', resource: { uri: 'file:///c.ts', text: 'code' } } },
        { role: 'assistant', content: { type: 'resource_link', uri: 'file:///d.ts', name: 'd' } },
      ],
    };
    expect(exposeGetPromptResult(result, prefixed)).toEqual({
      description: 'review',
      messages: [
        { role: 'user', content: { type: 'text', text: 'Review this' } },
        {
          role: 'user',
          content: { type: 'resource', resource: { uri: 'gateway://files/file:///c.ts', text: 'code' } },
        },
        {
          role: 'assistant',
          content: { type: 'resource_link', uri: 'gateway://files/file:///d.ts', name: 'd' },
        },
      ],
    });
  });
});
