export * from './gateway-cedar.schema';
export * from './policy-decision';
export * from './policy.engine';
export * from './policy.validator';
export {
  assignPolicyIds,
  type IdentifiedOutcome,
  type IdentifiedPolicy,
  type ParseOptions,
} from './policy-source.parser';
export * from './policy-bundle.directory';
export * from './role.policies';
