import { useState } from 'preact/hooks';
import { LIMITS } from '../../protocol/index.js';
import { api } from '../api.js';
import { Notice } from '../ui/components.js';
import { useI18n } from '../i18n/i18n.js';

const SCORES = [1, 2, 3, 4, 5] as const;

/**
 * "How was this session?" on the ended screen: 1 to 5 and an optional comment, sent once. The
 * score is counted for the support team; the comment goes to the analyst only and is not kept.
 */
export function RatingForm({ token }: { token: string }) {
  const { t, err } = useI18n();
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [state, setState] = useState<'idle' | 'sending' | 'sent'>('idle');
  const [error, setError] = useState<string | null>(null);

  if (state === 'sent') return <Notice kind="success" testId="rating-thanks">{t('rating.thanks')}</Notice>;

  const send = async (event: Event) => {
    event.preventDefault();
    if (score === null) return setError(t('rating.pick'));
    setState('sending');
    setError(null);
    const result = await api('/api/ratings', { body: { token, score, ...(comment.trim() ? { comment } : {}) } });
    if (result.ok) return setState('sent');
    setState('idle');
    setError(err(result.code, result.message));
  };

  return (
    <form class="rating" onSubmit={send} data-testid="rating-form" noValidate>
      <fieldset>
        <legend>{t('rating.title')}</legend>
        <div class="stars" role="radiogroup" aria-label={t('rating.title')}>
          {SCORES.map((n) => (
            <label key={n} class={score !== null && n <= score ? 'star on' : 'star'} title={t(`rating.score.${n}`)}>
              <input type="radio" name="score" value={n} checked={score === n} class="visually-hidden"
                onChange={() => setScore(n)} data-testid={`rating-${n}`} />
              <span aria-hidden="true">★</span>
              <span class="visually-hidden">{t(`rating.score.${n}`)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div class="field">
        <label for="rating-comment">{t('rating.comment')} <span class="muted">{t('analyst.optional')}</span></label>
        <textarea id="rating-comment" rows={2} maxLength={LIMITS.ratingCommentMax} value={comment}
          onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)} aria-describedby="rating-private" />
        <span class="muted small" id="rating-private">{t('rating.private')}</span>
      </div>
      {error && <Notice kind="error" testId="rating-error">{error}</Notice>}
      <button type="submit" class="primary" disabled={state === 'sending'} data-testid="rating-send">{t('rating.send')}</button>
    </form>
  );
}
