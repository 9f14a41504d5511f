import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { functions } from '../../lambdas/src/functions';
import { ShelfwiseApiStack } from '../src/api-stack';
import { ShelfwiseStatefulStack } from '../src/stateful-stack';
import { buildTestApp, cdkJsonContext } from './support';

type Stage = {
  Properties: {
    DefaultRouteSettings: { ThrottlingRateLimit: number; ThrottlingBurstLimit: number };
    RouteSettings?: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
  };
  DependsOn?: string[];
};
type Route = { Properties: { RouteKey: string } };

function stageAndRoutes(template: Template) {
  const [stage] = Object.values(template.findResources('AWS::ApiGatewayV2::Stage')) as Stage[];
  const routes = template.findResources('AWS::ApiGatewayV2::Route') as Record<string, Route>;
  const routeId = (routeKey: string) => Object.keys(routes).find((id) => routes[id]!.Properties.RouteKey === routeKey);
  if (!stage) throw new Error('no stage');
  return { stage, routeId };
}

describe('Request limits in the CDK app', () => {
  it('throttles /chat and /events per route, tighter than the stage default, as functions.ts sets them', () => {
    // Prepare
    const { api } = buildTestApp();
    const throttled = functions.flatMap((spec) =>
      spec.triggers.flatMap((trigger) =>
        trigger.kind === 'http' && 'throttle' in trigger ? [`${trigger.method} ${trigger.path}`] : [],
      ),
    );

    // Act
    const { stage, routeId } = stageAndRoutes(Template.fromStack(api));

    // Assess
    const defaults = stage.Properties.DefaultRouteSettings;
    const routeSettings = stage.Properties.RouteSettings ?? {};
    expect(Object.keys(routeSettings).sort()).toEqual([...throttled].sort());
    expect(routeSettings).toMatchObject({
      'POST /chat': { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
      'POST /events': { ThrottlingRateLimit: 25, ThrottlingBurstLimit: 50 },
    });
    for (const settings of Object.values(routeSettings)) {
      expect(settings.ThrottlingRateLimit).toBeLessThan(defaults.ThrottlingRateLimit);
      expect(settings.ThrottlingBurstLimit).toBeLessThan(defaults.ThrottlingBurstLimit);
    }
    // Route settings may only name routes that exist when the stage is created or updated.
    for (const routeKey of throttled) expect(stage.DependsOn).toContain(routeId(routeKey));
  });

  it('never makes a route looser than a stage throttle set below it', () => {
    // Prepare
    const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
    const stateful = new ShelfwiseStatefulStack(app, 'LimitsStateful');

    // Act
    const api = new ShelfwiseApiStack(app, 'LimitsApi', {
      stateful,
      functions: functions.filter((spec) => spec.id === 'ChatApi'),
      throttle: { rateLimit: 5, burstLimit: 8 },
    });

    // Assess
    const { stage } = stageAndRoutes(Template.fromStack(api));
    expect(stage.Properties.RouteSettings).toEqual({
      'POST /chat': { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 8 },
    });
  });
});
