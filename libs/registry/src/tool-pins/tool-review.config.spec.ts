import { ConfigError } from '@gateway/platform';
import { loadToolReviewConfig } from './tool-review.config';

describe('loadToolReviewConfig', () => {
  it('enforces by default and can be switched off', () => {
    expect(loadToolReviewConfig({})).toEqual({ mode: 'enforce' });
    expect(loadToolReviewConfig({ REGISTRY_TOOL_REVIEW: 'off' })).toEqual({ mode: 'off' });
  });

  it('names the variable when its value is not one it knows', () => {
    expect(() => loadToolReviewConfig({ REGISTRY_TOOL_REVIEW: 'audit' })).toThrow(ConfigError);
    expect(() => loadToolReviewConfig({ REGISTRY_TOOL_REVIEW: 'audit' })).toThrow(
      /REGISTRY_TOOL_REVIEW: expected "enforce" \(the default\) or "off"/,
    );
  });
});
