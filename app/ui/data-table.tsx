// A table that scrolls sideways on narrow screens, under one header row. A column labelled "" holds row actions:
// its header is named for screen readers only.
import type { ReactNode } from "react";

export function DataTable({ columns, testId, children }: { columns: readonly ReactNode[]; testId?: string; children: ReactNode }) {
  return (
    <div className="table-wrap">
      <table data-testid={testId}>
        <thead>
          <tr>
            {columns.map((label, i) => (
              <th key={i} scope="col">
                {label === "" ? <span className="visually-hidden">Actions</span> : label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
