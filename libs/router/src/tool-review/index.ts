export * from './tool-review.service';
