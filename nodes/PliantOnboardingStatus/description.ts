import type { INodeProperties } from 'n8n-workflow';

import { operationProperties, operationSubtitle } from '../shared/execution/operations';
import { DEFAULT_OPERATION, OPERATIONS } from './operations';

export const properties: INodeProperties[] = operationProperties(OPERATIONS, DEFAULT_OPERATION);

/** The operation's display name under the node on the canvas, e.g. "Get Onboarding Details". */
export const SUBTITLE = operationSubtitle(OPERATIONS);
