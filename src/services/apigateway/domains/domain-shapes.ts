/**
 * A custom domain name as stored — one shape behind both APIs — and how v1 (`DomainName`, camel
 * case, `endpointConfiguration`) and v2 (`DomainName` with one `DomainNameConfigurations` entry)
 * see it. Certificates are kept as given and never checked: Stratus serves plain HTTP.
 *
 * Where AWS answers `regionalDomainName` (`d-abc1234567.execute-api.us-east-1.amazonaws.com`) or
 * `distributionDomainName` (`d1234abcdefgh.cloudfront.net`), the name a DNS record points at,
 * Stratus answers a `*.localhost` name of the same form, which browsers and curl resolve to
 * loopback and the edge serves as the domain itself.
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type * as V2 from '@aws-sdk/client-apigatewayv2';
import { partitionOf } from '../../arn.js';
import { BadRequestException } from '../errors.js';

export type EndpointType = 'EDGE' | 'REGIONAL';

export interface StoredDomainName {
  /** As it was given; the row's key is its lower case. */
  domainName: string;
  endpointType: EndpointType;
  securityPolicy: string;
  /** Ten letters and digits naming the local `d-….execute-api.localhost` alias. */
  aliasId: string;
  certificateName?: string;
  certificateArn?: string;
  certificateUploadDate?: number;
  regionalCertificateName?: string;
  regionalCertificateArn?: string;
  ownershipVerificationCertificateArn?: string;
  ipAddressType?: string;
  mutualTlsAuthentication?: { truststoreUri?: string; truststoreVersion?: string };
  tags: Record<string, string>;
}

/** Route 53's zone for every edge-optimized (CloudFront) endpoint, as AWS documents it. */
const EDGE_HOSTED_ZONE_ID = 'Z2FDTNDATAQYW2';
export const DEFAULT_SECURITY_POLICY = 'TLS_1_2';
const SECURITY_POLICIES = /^(TLS_1_0|TLS_1_2|SecurityPolicy_[A-Za-z0-9_]+)$/;
/** A host name: labels of letters, digits and hyphens, `*.` first for a wildcard name. */
const DOMAIN_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

export const EDGE_IN_V2 =
  'Only REGIONAL domain names can be managed through the API Gateway V2 API. For EDGE domain names, please use the API Gateway V1 API. Also note that only REST APIs can be attached to EDGE domain names.';

/** The row key of a domain name: its lower case (host names are case-insensitive). */
export const domainKey = (name: string): string => name.toLowerCase().replace(/\.$/, '');

/**
 * Refuses what is not a domain name. A name of one label (`localhost`) or an IP address is
 * refused too: it would be the host the AWS APIs themselves are called at.
 */
export function checkDomainName(name: string): void {
  const labels = name.split('.');
  if (name.length > 253 || !DOMAIN_NAME.test(name) || /^[0-9]+$/.test(labels[labels.length - 1]!)) {
    throw new BadRequestException(`Invalid domain name specified: ${name}`);
  }
}

export function checkSecurityPolicy(policy: string): string {
  if (!SECURITY_POLICIES.test(policy)) throw new BadRequestException(`Invalid security policy: ${policy}`);
  return policy;
}

/** The local name standing in for the regional or CloudFront domain name. */
export function aliasOf(stored: Pick<StoredDomainName, 'aliasId' | 'endpointType'>): string {
  return stored.endpointType === 'EDGE'
    ? `d${stored.aliasId}.cloudfront.localhost`
    : `d-${stored.aliasId}.execute-api.localhost`;
}

export function domainNameArn(region: string, name: string): string {
  return `arn:${partitionOf(region)}:apigateway:${region}::/domainnames/${name}`;
}

export function v1DomainName(stored: StoredDomainName, region: string): APIGW.DomainName {
  const edge = stored.endpointType === 'EDGE';
  return {
    domainName: stored.domainName,
    domainNameArn: domainNameArn(region, stored.domainName),
    ...(stored.certificateName !== undefined ? { certificateName: stored.certificateName } : {}),
    ...(stored.certificateArn !== undefined ? { certificateArn: stored.certificateArn } : {}),
    ...(stored.certificateUploadDate !== undefined
      ? { certificateUploadDate: new Date(stored.certificateUploadDate) }
      : {}),
    ...(stored.regionalCertificateName !== undefined
      ? { regionalCertificateName: stored.regionalCertificateName }
      : {}),
    ...(stored.regionalCertificateArn !== undefined
      ? { regionalCertificateArn: stored.regionalCertificateArn }
      : {}),
    ...(edge
      ? { distributionDomainName: aliasOf(stored), distributionHostedZoneId: EDGE_HOSTED_ZONE_ID }
      : { regionalDomainName: aliasOf(stored) }),
    endpointConfiguration: {
      types: [stored.endpointType],
      ...(stored.ipAddressType ? { ipAddressType: stored.ipAddressType as APIGW.IpAddressType } : {}),
    },
    domainNameStatus: 'AVAILABLE',
    securityPolicy: stored.securityPolicy as APIGW.SecurityPolicy,
    ...(stored.mutualTlsAuthentication ? { mutualTlsAuthentication: stored.mutualTlsAuthentication } : {}),
    ...(stored.ownershipVerificationCertificateArn !== undefined
      ? { ownershipVerificationCertificateArn: stored.ownershipVerificationCertificateArn }
      : {}),
    routingMode: 'BASE_PATH_MAPPING_ONLY',
    tags: stored.tags,
  };
}

export function v2DomainName(stored: StoredDomainName, region: string): V2.DomainName {
  return {
    DomainName: stored.domainName,
    DomainNameArn: domainNameArn(region, stored.domainName),
    ApiMappingSelectionExpression: '$request.basepath',
    DomainNameConfigurations: [
      {
        ApiGatewayDomainName: aliasOf(stored),
        ...(stored.regionalCertificateArn !== undefined
          ? { CertificateArn: stored.regionalCertificateArn }
          : {}),
        ...(stored.regionalCertificateName !== undefined
          ? { CertificateName: stored.regionalCertificateName }
          : {}),
        ...(stored.certificateUploadDate !== undefined
          ? { CertificateUploadDate: new Date(stored.certificateUploadDate) }
          : {}),
        DomainNameStatus: 'AVAILABLE',
        EndpointType: 'REGIONAL',
        SecurityPolicy: stored.securityPolicy as V2.SecurityPolicy,
        ...(stored.ipAddressType ? { IpAddressType: stored.ipAddressType as V2.IpAddressType } : {}),
        ...(stored.ownershipVerificationCertificateArn !== undefined
          ? { OwnershipVerificationCertificateArn: stored.ownershipVerificationCertificateArn }
          : {}),
      },
    ],
    ...(stored.mutualTlsAuthentication
      ? {
          MutualTlsAuthentication: {
            TruststoreUri: stored.mutualTlsAuthentication.truststoreUri,
            TruststoreVersion: stored.mutualTlsAuthentication.truststoreVersion,
          },
        }
      : {}),
    RoutingMode: 'API_MAPPING_ONLY',
    Tags: stored.tags,
  };
}

export function checkRoutingMode(mode: string | undefined, mappingsOnly: string): void {
  if (mode !== undefined && mode !== mappingsOnly) {
    throw new BadRequestException(`Routing rules are not supported: routingMode must be ${mappingsOnly}`);
  }
}

/** What a v1 CreateDomainName makes, but for its alias id and tags. */
export function fromV1Create(
  input: APIGW.CreateDomainNameRequest,
  now: number,
): Omit<StoredDomainName, 'aliasId' | 'tags'> {
  const types = input.endpointConfiguration?.types ?? ['EDGE'];
  if (types.length !== 1) {
    throw new BadRequestException('Invalid endpoint configuration: it must name exactly one endpoint type');
  }
  if (types[0] !== 'EDGE' && types[0] !== 'REGIONAL') {
    throw new BadRequestException(`Endpoint type ${types[0]} is not supported for custom domain names here`);
  }
  checkRoutingMode(input.routingMode, 'BASE_PATH_MAPPING_ONLY');
  const certificate = input.certificateArn ?? input.certificateBody ?? input.regionalCertificateArn;
  return {
    domainName: input.domainName!,
    endpointType: types[0],
    securityPolicy: checkSecurityPolicy(input.securityPolicy ?? DEFAULT_SECURITY_POLICY),
    ...(input.certificateName !== undefined ? { certificateName: input.certificateName } : {}),
    ...(input.certificateArn !== undefined ? { certificateArn: input.certificateArn } : {}),
    ...(certificate !== undefined ? { certificateUploadDate: now } : {}),
    ...(input.regionalCertificateName !== undefined
      ? { regionalCertificateName: input.regionalCertificateName }
      : {}),
    ...(input.regionalCertificateArn !== undefined
      ? { regionalCertificateArn: input.regionalCertificateArn }
      : {}),
    ...(input.ownershipVerificationCertificateArn !== undefined
      ? { ownershipVerificationCertificateArn: input.ownershipVerificationCertificateArn }
      : {}),
    ...(input.endpointConfiguration?.ipAddressType
      ? { ipAddressType: input.endpointConfiguration.ipAddressType }
      : {}),
    ...(input.mutualTlsAuthentication
      ? { mutualTlsAuthentication: { ...input.mutualTlsAuthentication } }
      : {}),
  };
}

/**
 * The regional configuration a v2 CreateDomainName or UpdateDomainName gives (a whole new one:
 * what it leaves out is cleared). EDGE is refused; any other endpoint type is taken as REGIONAL,
 * the only kind an HTTP API's domain can be.
 */
export function fromV2Configuration(
  configurations: readonly V2.DomainNameConfiguration[] | undefined,
  now: number,
): Omit<StoredDomainName, 'domainName' | 'aliasId' | 'tags' | 'mutualTlsAuthentication'> {
  if (configurations && configurations.length > 1) {
    throw new BadRequestException('Only one domain name configuration is supported');
  }
  const configuration = configurations?.[0] ?? {};
  if (configuration.EndpointType === 'EDGE') {
    throw new BadRequestException('EDGE endpoint type is not supported for APIGatewayV2 domainName');
  }
  return {
    endpointType: 'REGIONAL',
    securityPolicy: checkSecurityPolicy(configuration.SecurityPolicy ?? DEFAULT_SECURITY_POLICY),
    ...(configuration.CertificateArn !== undefined
      ? { regionalCertificateArn: configuration.CertificateArn, certificateUploadDate: now }
      : {}),
    ...(configuration.CertificateName !== undefined
      ? { regionalCertificateName: configuration.CertificateName }
      : {}),
    ...(configuration.IpAddressType ? { ipAddressType: configuration.IpAddressType } : {}),
    ...(configuration.OwnershipVerificationCertificateArn !== undefined
      ? { ownershipVerificationCertificateArn: configuration.OwnershipVerificationCertificateArn }
      : {}),
  };
}

export function fromV2MutualTls(
  input: V2.MutualTlsAuthenticationInput | undefined,
): StoredDomainName['mutualTlsAuthentication'] {
  return input
    ? {
        ...(input.TruststoreUri !== undefined ? { truststoreUri: input.TruststoreUri } : {}),
        ...(input.TruststoreVersion !== undefined ? { truststoreVersion: input.TruststoreVersion } : {}),
      }
    : undefined;
}
