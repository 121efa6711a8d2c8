// Overlay rules: kustomization files and what they render.
import { deprecatedField } from '../deprecated-field';
import { missingPath } from '../missing-path';
import { pathOutsideRepo } from '../path-outside-repo';
import { remoteResource } from '../remote-resource';
import { renderError } from '../render-error';
import type { Rule } from '../rule';
import { unknownField } from '../unknown-field';

export const overlayRules: Rule[] = [missingPath, pathOutsideRepo, remoteResource, renderError, unknownField, deprecatedField];
