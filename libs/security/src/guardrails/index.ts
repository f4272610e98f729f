export * from './value.masker';
export * from './tool-definition.scanner';
export * from './tool-definition.fingerprint';
