import { UserModelFields } from '../models/UserModelFields.tsx';
import { readFormValues } from '../models/userModelSpec.ts';
import { chooseModelSource, chooseUserModel } from './actions.ts';
import { useEvaluate } from './evaluateStore.ts';

/** Which model to score: the active bundle's, or an ONNX file of the user's with the Models page's small manifest form. */
export function ModelPicker({ bundleName }: { bundleName: string | undefined }) {
  const { modelSource, userModel, userModelMessage: message, userModelBusy: busy } = useEvaluate();
  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const file = data.get('file');
    void chooseUserModel(file instanceof File ? file : undefined, readFormValues(data));
  }
  return (
    <section className="panel" aria-label="Model">
      <h2>Model</h2>
      <div className="row">
        <label><input type="radio" name="model-source" data-testid="model-bundle" checked={modelSource === 'bundle'} onChange={() => chooseModelSource('bundle')} /> built-in: {bundleName ?? '…'}</label>
        <label><input type="radio" name="model-source" data-testid="model-user" checked={modelSource === 'user'} onChange={() => chooseModelSource('user')} /> your own ONNX model</label>
      </div>
      {modelSource === 'user' && (
        <form className="user-model" onSubmit={submit} aria-label="Your own model to evaluate">
          <p>
            The file is read here and handed to the evaluation worker; it is never uploaded. It is not kept: after a reload, pick it
            again (saved runs keep its file name and sha256).
          </p>
          <UserModelFields />
          <button type="submit" data-testid="use-user-model" disabled={busy}>{busy ? 'Checking…' : 'Use this model'}</button>
          {userModel && !busy && <span data-testid="user-model-ready"> {userModel.file.name} ({userModel.values.role})</span>}
        </form>
      )}
      {modelSource === 'user' && message && (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'ok' : 'error'} data-testid="eval-model-message">
          {message.title} {message.detail && <small>{message.detail}</small>}
        </p>
      )}
    </section>
  );
}
