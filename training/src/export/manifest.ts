/**
 * The model manifest's schema lives with the recommender that reads it (`@shelfwise/lambdas/shared/model-manifest`);
 * training writes manifests through the same schema.
 */
export * from '@shelfwise/lambdas/shared/model-manifest';
