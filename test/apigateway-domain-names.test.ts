/**
 * Custom domain names and their mappings through both management APIs — one namespace, as on
 * AWS — with AWS's answers to conflicts, unknown names and mappings a domain cannot take.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as V1 from '@aws-sdk/client-api-gateway';
import * as V2 from '@aws-sdk/client-apigatewayv2';
import { certificate, domainFixtures, edgeInV2, type DomainFixtures } from './support/apigateway-domains.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

describe('API Gateway custom domain names: management', () => {
  let stratus: TestStratus;
  let v1: DomainFixtures['v1'];
  let v2: DomainFixtures['v2'];
  let fixtures: DomainFixtures;
  let restApi: DomainFixtures['restApi'];
  let httpApi: DomainFixtures['httpApi'];
  let regionalDomain: DomainFixtures['regionalDomain'];

  beforeAll(async () => {
    stratus = await startTestStratus();
    fixtures = await domainFixtures(stratus);
    ({ v1, v2, restApi, httpApi, regionalDomain } = fixtures);
  });
  afterAll(async () => {
    fixtures?.destroy();
    await stratus?.close();
  });

  it('keeps one namespace of domain names for both APIs; v2 sees only the REGIONAL ones', async () => {
    const regional = await v1.send(
      new V1.CreateDomainNameCommand({
        domainName: 'shop.example.com',
        regionalCertificateArn: certificate,
        endpointConfiguration: { types: ['REGIONAL'] },
        tags: { team: 'web' },
      }),
    );
    expect(regional).toMatchObject({
      domainName: 'shop.example.com',
      domainNameArn: 'arn:aws:apigateway:us-east-1::/domainnames/shop.example.com',
      regionalCertificateArn: certificate,
      endpointConfiguration: { types: ['REGIONAL'] },
      domainNameStatus: 'AVAILABLE',
      securityPolicy: 'TLS_1_2',
      tags: { team: 'web' },
    });
    expect(regional.regionalDomainName).toMatch(/^d-[a-z0-9]{10}\.execute-api\.localhost$/);
    expect(await v2.send(new V2.GetDomainNameCommand({ DomainName: 'shop.example.com' }))).toMatchObject({
      DomainName: 'shop.example.com',
      ApiMappingSelectionExpression: '$request.basepath',
      DomainNameConfigurations: [
        {
          ApiGatewayDomainName: regional.regionalDomainName,
          CertificateArn: certificate,
          EndpointType: 'REGIONAL',
          DomainNameStatus: 'AVAILABLE',
          SecurityPolicy: 'TLS_1_2',
        },
      ],
      Tags: { team: 'web' },
    });

    await regionalDomain('made-by-v2.example.com');
    expect(
      await v1.send(new V1.GetDomainNameCommand({ domainName: 'made-by-v2.example.com' })),
    ).toMatchObject({
      endpointConfiguration: { types: ['REGIONAL'] },
      regionalCertificateArn: certificate,
    });

    const edge = await v1.send(
      new V1.CreateDomainNameCommand({ domainName: 'edge.example.com', certificateArn: certificate }),
    );
    expect(edge).toMatchObject({
      endpointConfiguration: { types: ['EDGE'] },
      distributionHostedZoneId: 'Z2FDTNDATAQYW2',
    });
    expect(edge.distributionDomainName).toMatch(/^d[a-z0-9]{10}\.cloudfront\.localhost$/);
    await expect(v2.send(new V2.GetDomainNameCommand({ DomainName: 'edge.example.com' }))).rejects.toThrow(
      edgeInV2,
    );
    await expect(
      v2.send(
        new V2.CreateDomainNameCommand({
          DomainName: 'v2-edge.example.com',
          DomainNameConfigurations: [{ EndpointType: 'EDGE' }],
        }),
      ),
    ).rejects.toThrow('EDGE endpoint type is not supported for APIGatewayV2 domainName');

    const v1Names = (await v1.send(new V1.GetDomainNamesCommand({}))).items!.map((d) => d.domainName);
    expect(v1Names).toEqual(
      expect.arrayContaining(['shop.example.com', 'made-by-v2.example.com', 'edge.example.com']),
    );
    const v2Names = (await v2.send(new V2.GetDomainNamesCommand({}))).Items!.map((d) => d.DomainName);
    expect(v2Names).toEqual(expect.arrayContaining(['shop.example.com', 'made-by-v2.example.com']));
    expect(v2Names).not.toContain('edge.example.com');

    const updated = await v1.send(
      new V1.UpdateDomainNameCommand({
        domainName: 'edge.example.com',
        patchOperations: [
          { op: 'replace', path: '/endpointConfiguration/types/EDGE', value: 'REGIONAL' },
          { op: 'replace', path: '/regionalCertificateArn', value: certificate },
        ],
      }),
    );
    expect(updated).toMatchObject({
      endpointConfiguration: { types: ['REGIONAL'] },
      regionalCertificateArn: certificate,
    });
    expect(updated.distributionDomainName).toBeUndefined();
    const changed = await v2.send(
      new V2.UpdateDomainNameCommand({
        DomainName: 'edge.example.com',
        DomainNameConfigurations: [{ CertificateArn: certificate, SecurityPolicy: 'TLS_1_0' }],
      }),
    );
    expect(changed.DomainNameConfigurations).toMatchObject([
      { SecurityPolicy: 'TLS_1_0', EndpointType: 'REGIONAL' },
    ]);

    await v2.send(new V2.DeleteDomainNameCommand({ DomainName: 'edge.example.com' }));
    await v1.send(new V1.DeleteDomainNameCommand({ domainName: 'made-by-v2.example.com' }));
    for (const domainName of ['edge.example.com', 'made-by-v2.example.com', 'nowhere.example.com']) {
      const missing = v1.send(new V1.GetDomainNameCommand({ domainName }));
      await expect(missing).rejects.toBeInstanceOf(V1.NotFoundException);
      await expect(missing).rejects.toThrow('Invalid domain name identifier specified');
    }
    await expect(
      v2.send(new V2.GetDomainNameCommand({ DomainName: 'nowhere.example.com' })),
    ).rejects.toBeInstanceOf(V2.NotFoundException);
  });

  it('refuses a domain name that exists, whatever its case, and names that are not domain names', async () => {
    await regionalDomain('taken.example.com');
    const again = v1.send(new V1.CreateDomainNameCommand({ domainName: 'Taken.Example.com' }));
    await expect(again).rejects.toBeInstanceOf(V1.BadRequestException);
    await expect(again).rejects.toThrow('The domain name you provided already exists.');
    const viaV2 = regionalDomain('taken.example.com');
    await expect(viaV2).rejects.toBeInstanceOf(V2.ConflictException);
    await expect(viaV2).rejects.toThrow('The domain name you provided already exists.');
    for (const domainName of ['localhost', '127.0.0.1', 'bad_name.example.com', '-x.example.com']) {
      await expect(v1.send(new V1.CreateDomainNameCommand({ domainName }))).rejects.toBeInstanceOf(
        V1.BadRequestException,
      );
    }
  });

  it('refuses conflicting, unknown and ill-formed mappings with AWS errors', async () => {
    const rest = await restApi('errors-api');
    const http = await httpApi('errors-http');
    await regionalDomain('errors.example.com');
    const domainName = 'errors.example.com';
    await v1.send(
      new V1.CreateBasePathMappingCommand({ domainName, restApiId: rest, stage: 'prod', basePath: 'v1' }),
    );

    const expectV1 = async (
      input: V1.CreateBasePathMappingCommandInput,
      type: new (...a: never[]) => Error,
      message: string,
    ) => {
      const attempt = v1.send(new V1.CreateBasePathMappingCommand(input));
      await expect(attempt).rejects.toBeInstanceOf(type);
      await expect(attempt).rejects.toThrow(message);
    };
    await expectV1(
      { domainName, restApiId: rest, stage: 'prod', basePath: 'v1' },
      V1.ConflictException,
      'Base path already exists for this domain name',
    );
    await expectV1(
      { domainName, restApiId: rest, stage: 'prod', basePath: 'a/b' },
      V1.BadRequestException,
      "API Gateway V1 doesn't support the slash character (/) in base path mappings.",
    );
    await expectV1(
      { domainName, restApiId: 'nosuchapi0', basePath: 'x' },
      V1.BadRequestException,
      'Invalid REST API identifier specified',
    );
    await expectV1(
      { domainName, restApiId: http, basePath: 'x' },
      V1.BadRequestException,
      'Invalid REST API identifier specified',
    );
    await expectV1(
      { domainName, restApiId: rest, stage: 'nope', basePath: 'x' },
      V1.BadRequestException,
      'Invalid stage identifier specified',
    );
    await expectV1(
      { domainName: 'nowhere.example.com', restApiId: rest },
      V1.NotFoundException,
      'Invalid domain name identifier specified',
    );
    await expect(v1.send(new V1.GetBasePathMappingCommand({ domainName, basePath: 'v9' }))).rejects.toThrow(
      'Invalid base path mapping identifier specified',
    );

    const expectV2 = async (
      input: V2.CreateApiMappingCommandInput,
      type: new (...a: never[]) => Error,
      message: string,
    ) => {
      const attempt = v2.send(new V2.CreateApiMappingCommand(input));
      await expect(attempt).rejects.toBeInstanceOf(type);
      await expect(attempt).rejects.toThrow(message);
    };
    const DomainName = domainName;
    await expectV2(
      { DomainName, ApiId: http, Stage: '$default', ApiMappingKey: 'v1' },
      V2.ConflictException,
      'ApiMapping key already exists for this domain name',
    );
    await expectV2(
      { DomainName, ApiId: http, Stage: '$default', ApiMappingKey: 'a//b' },
      V2.BadRequestException,
      "API mapping key should not start with a '/' or have consecutive '/'s.",
    );
    await expectV2(
      { DomainName, ApiId: http, Stage: 'nope', ApiMappingKey: 'x' },
      V2.BadRequestException,
      'Invalid stage identifier specified',
    );
    await expectV2(
      { DomainName, ApiId: 'nosuchapi0', Stage: '$default', ApiMappingKey: 'x' },
      V2.BadRequestException,
      'Invalid API identifier specified',
    );
    await expect(
      v2.send(new V2.GetApiMappingCommand({ DomainName, ApiMappingId: 'nosuchmap0' })),
    ).rejects.toBeInstanceOf(V2.NotFoundException);

    // HTTP APIs and multi-level keys want a REGIONAL domain with TLS 1.2; WebSocket APIs a domain of their own.
    await regionalDomain('old-tls.example.com', 'TLS_1_0');
    await expectV2(
      { DomainName: 'old-tls.example.com', ApiId: http, Stage: '$default' },
      V2.BadRequestException,
      'HTTP APIs can only be mapped',
    );
    await expectV2(
      { DomainName: 'old-tls.example.com', ApiId: rest, Stage: 'prod', ApiMappingKey: 'a/b' },
      V2.BadRequestException,
      'Multi-level',
    );
    await v1.send(
      new V1.CreateDomainNameCommand({ domainName: 'cdn.example.com', certificateArn: certificate }),
    );
    await expectV2(
      { DomainName: 'cdn.example.com', ApiId: rest, Stage: 'prod' },
      V2.BadRequestException,
      edgeInV2,
    );
    const { ApiId: ws } = await v2.send(
      new V2.CreateApiCommand({
        Name: 'errors-ws',
        ProtocolType: 'WEBSOCKET',
        RouteSelectionExpression: '$request.body.action',
      }),
    );
    await v2.send(new V2.CreateStageCommand({ ApiId: ws, StageName: 'live' }));
    await expectV2(
      { DomainName, ApiId: ws, Stage: 'live', ApiMappingKey: 'ws' },
      V2.BadRequestException,
      "WebSocket APIs can't be mapped",
    );
    await v2.send(
      new V2.CreateApiMappingCommand({ DomainName, ApiId: http, Stage: '$default', ApiMappingKey: 'h' }),
    );
    const toTls10 = v1.send(
      new V1.UpdateDomainNameCommand({
        domainName,
        patchOperations: [{ op: 'replace', path: '/securityPolicy', value: 'TLS_1_0' }],
      }),
    );
    await expect(toTls10).rejects.toThrow('HTTP APIs can only be mapped');
  });
});
