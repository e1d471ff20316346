import type { ReactNode } from 'react';
import { Problem } from './ui/problem.tsx';

/**
 * A decision's answer controls, at the foot of its card. In the session's decision panel the bar
 * sticks to the panel's bottom while the decision's body (a plan, questions, a diff) scrolls above
 * it; the negative margins take it to the card's edges (the card's padding is p-3).
 */
export function DecisionBar({ sticky, problem, children }: { sticky: boolean; problem: string | null; children: ReactNode }) {
  return (
    <div
      data-testid="decision-bar"
      className={`-mx-3 -mb-3 mt-2 rounded-b-md px-3 pb-3 pt-2 ${sticky ? 'sticky bottom-0 z-10 border-t border-warning bg-warning-soft' : ''}`}
    >
      <Problem className="mb-2">{problem}</Problem>
      {children}
    </div>
  );
}
