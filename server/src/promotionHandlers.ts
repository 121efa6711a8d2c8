// Wires the promotion requests (protocol.ts) to features/promotion.ts. One promotion or revert runs at a
// time: two interleaved git transactions on one repository would each see the other's branch.
import type { Connection } from 'vscode-languageserver/node';
import { deletePromotionBranch, listPromotions, planPromotion, runPromotion, runRevert, showCommit } from './features/promotion';
import {
  DeletePromotionBranchRequest,
  PromoteRequest,
  PromotionHistoryRequest,
  PromotionPlanRequest,
  PromotionProgressNotification,
  RevertPromotionRequest,
  ShowCommitRequest,
  type PromotionOutcomeResult,
} from './protocol';
import { redactSecrets } from './fleet/secrets';
import type { Session } from './session';

const NO_FOLDER = 'Open the fleet repository as a workspace folder to promote.';

export function registerPromotionHandlers(connection: Connection, session: Session): void {
  let running = false;
  const folder = (): string | undefined => session.allIndexes()[0]?.root;
  const reporter = (progressId: unknown) => (message: string) => {
    if (typeof progressId === 'string') void connection.sendNotification(PromotionProgressNotification, { progressId, message });
  };
  const failure = (what: string, error: unknown): PromotionOutcomeResult => {
    // An exception may quote a value it failed on: Secret values never reach the output channel.
    connection.console.log(
      `${what} failed: ${redactSecrets(session.allIndexes(), error instanceof Error ? (error.stack ?? error.message) : String(error))}`,
    );
    return { kind: 'failed', message: `${what} failed unexpectedly; see the Flux Environments output. Nothing was changed.` };
  };
  const exclusively = async <R extends PromotionOutcomeResult>(
    what: string,
    run: () => Promise<R>,
  ): Promise<R | PromotionOutcomeResult> => {
    if (running) return { kind: 'refused', message: 'Another promotion is running; wait for it to finish.' };
    running = true;
    try {
      return await run();
    } catch (error) {
      return failure(what, error);
    } finally {
      running = false;
    }
  };

  connection.onRequest(PromotionPlanRequest, async (params) => {
    const cwd = folder();
    if (!cwd) return { reason: '', changes: [], fileChanges: [], summary: [], problems: [], message: NO_FOLDER };
    try {
      return await planPromotion(cwd, params);
    } catch (error) {
      return {
        reason: '',
        changes: [],
        fileChanges: [],
        summary: [],
        problems: [],
        message: failure('Planning the promotion', error).message,
      };
    }
  });
  connection.onRequest(PromoteRequest, async (params) => {
    const cwd = folder();
    if (!cwd) return { kind: 'refused', message: NO_FOLDER };
    return exclusively('The promotion', () => runPromotion(cwd, params, reporter(params?.progressId)));
  });
  connection.onRequest(RevertPromotionRequest, async (params) => {
    const cwd = folder();
    if (!cwd) return { kind: 'refused', message: NO_FOLDER };
    return exclusively('The revert', () => runRevert(cwd, params, reporter(params?.progressId)));
  });
  connection.onRequest(DeletePromotionBranchRequest, async (params) => {
    const cwd = folder();
    if (!cwd) return { kind: 'refused', message: NO_FOLDER };
    return exclusively('Deleting the branch', () => deletePromotionBranch(cwd, params));
  });
  connection.onRequest(PromotionHistoryRequest, async (params) => {
    const cwd = folder();
    if (!cwd) return { entries: [], message: NO_FOLDER };
    try {
      return await listPromotions(cwd, params);
    } catch (error) {
      return { entries: [], message: failure('Reading the promotion history', error).message };
    }
  });
  connection.onRequest(ShowCommitRequest, async (params) => {
    const cwd = folder();
    if (!cwd) return { error: NO_FOLDER };
    try {
      return await showCommit(cwd, params?.commit);
    } catch (error) {
      return { error: failure('git show', error).message };
    }
  });
}
