import { createHash } from 'node:crypto';
import { toolFingerprint } from './tool-definition.fingerprint';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

describe('toolFingerprint', () => {
  const tool = {
    name: 'echo',
    description: 'Echoes back the input',
    inputSchema: {
      type: 'object',
      properties: { message: { type: 'string', maxLength: 1e3 } },
      required: ['message'],
    },
    annotations: { readOnlyHint: true },
  };

  it('is the SHA-256 of the RFC 8785 canonical JSON of the definition', () => {
    expect(toolFingerprint(tool)).toBe(
      sha256(
        '{"annotations":{"readOnlyHint":true},"description":"Echoes back the input",' +
          '"inputSchema":{"properties":{"message":{"maxLength":1000,"type":"string"}},"required":["message"],' +
          '"type":"object"},"name":"echo"}',
      ),
    );
  });

  it('does not depend on key order, and survives a JSON round trip', () => {
    const reordered = {
      annotations: { readOnlyHint: true },
      inputSchema: {
        required: ['message'],
        properties: { message: { maxLength: 1000, type: 'string' } },
        type: 'object',
      },
      description: 'Echoes back the input',
      name: 'echo',
    };
    expect(toolFingerprint(reordered)).toBe(toolFingerprint(tool));
    expect(toolFingerprint(JSON.parse(JSON.stringify(tool)) as typeof tool)).toBe(toolFingerprint(tool));
  });

  it('changes with anything a model reads, and not with the rest', () => {
    const fingerprint = toolFingerprint(tool);
    expect(toolFingerprint({ ...tool, description: 'Echoes back the input.' })).not.toBe(fingerprint);
    expect(toolFingerprint({ ...tool, title: 'Echo' })).not.toBe(fingerprint);
    expect(toolFingerprint({ ...tool, outputSchema: { type: 'object' } })).not.toBe(fingerprint);
    expect(toolFingerprint({ ...tool, annotations: { readOnlyHint: false } })).not.toBe(fingerprint);
    expect(
      toolFingerprint({ ...tool, _meta: { 'example.com/trace': 'abc' }, icons: [] } as typeof tool),
    ).toBe(fingerprint);
    expect(toolFingerprint({ ...tool, title: undefined })).toBe(fingerprint);
  });
});
