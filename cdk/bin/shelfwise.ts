/**
 * Entry point of the CDK CLI (`cdk.json`: `npx tsx cdk/bin/shelfwise.ts`). Every synth runs the cdk-nag
 * AwsSolutions checks; an unacknowledged error fails it.
 */
import { createShelfwiseApp } from '../src/app';

createShelfwiseApp();
