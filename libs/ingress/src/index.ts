export * from './ingress.module';
export * from './ingress-config';
