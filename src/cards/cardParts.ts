/** A row of a FactSet: `title` on the left, `value` on the right. */
export interface Fact {
  title: string;
  value: string;
}

/** One line of text in a repeated TextBlock (`$data` over a list of these). */
export interface TextLine {
  text: string;
}

/** A Container's `style` (Adaptive Cards 1.5): good = green, warning = amber, attention = red. */
export type ContainerStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';

/** A TextBlock's `color` (Adaptive Cards 1.5). */
export type TextColor = 'Default' | 'Dark' | 'Light' | 'Accent' | 'Good' | 'Warning' | 'Attention';
