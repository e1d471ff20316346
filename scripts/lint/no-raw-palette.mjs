// Colours are named by role in app/globals.css (@theme): bg-surface-raised, text-muted,
// border-danger. A raw Tailwind palette class (bg-zinc-800, text-red-500) skips the tokens and
// the dark mode they carry; a primitive's own class (vibes-button) skips its component.

const HUES = [
  'slate',
  'gray',
  'zinc',
  'neutral',
  'stone',
  'red',
  'orange',
  'amber',
  'yellow',
  'lime',
  'green',
  'emerald',
  'teal',
  'cyan',
  'sky',
  'blue',
  'indigo',
  'violet',
  'purple',
  'fuchsia',
  'pink',
  'rose',
  'black',
  'white',
];
const UTILITIES = [
  'bg',
  'text',
  'border',
  'border-[xytrblse]',
  'divide',
  'ring',
  'ring-offset',
  'inset-ring',
  'outline',
  'shadow',
  'inset-shadow',
  'drop-shadow',
  'text-shadow',
  'accent',
  'caret',
  'fill',
  'stroke',
  'decoration',
  'placeholder',
  'from',
  'via',
  'to',
];
const PALETTE_CLASS = new RegExp(`^-?(?:${UTILITIES.join('|')})-(${HUES.join('|')})(?:-\\d{2,3})?(?:/[\\w.\\[\\]%-]+)?$`);

/** The token to reach for instead, by the hue's usual role. */
const ROLE_BY_HUE = {
  danger: ['red', 'rose'],
  warning: ['orange', 'amber', 'yellow'],
  success: ['lime', 'green', 'emerald', 'teal'],
  info: ['cyan', 'sky', 'blue'],
  accent: ['indigo', 'violet', 'purple', 'fuchsia', 'pink'],
};
const HINT = {
  danger: 'bg-danger, bg-danger-soft, text-danger-text, border-danger',
  warning: 'bg-warning-soft, text-warning-text, border-warning',
  success: 'bg-success, bg-success-soft, text-success-text',
  info: 'bg-info-soft, text-info-text',
  accent: 'bg-accent, bg-accent-soft, text-accent-text, text-accent-fg',
  neutral: 'bg-surface, bg-surface-raised, bg-surface-sunken, text-fg, text-muted, border-border',
};

const PRIMITIVE_CLASS = {
  'vibes-button': '<Button variant size> (or buttonClass() on a label) from app/_components/ui/button.tsx',
  'vibes-input': '<Input>, <Textarea> or <Select> from app/_components/ui/field.tsx',
  'vibes-card': '<Card> from app/_components/ui/card.tsx',
  'vibes-badge': '<Badge tone> from app/_components/ui/badge.tsx',
};

/** `dark:hover:!bg-red-500/50` -> `bg-red-500/50`: variants and the important mark say when, not what colour. */
function utilityOf(className) {
  let depth = 0;
  let start = 0;
  for (let index = 0; index < className.length; index += 1) {
    const character = className[index];
    if (character === '[') depth += 1;
    else if (character === ']') depth -= 1;
    else if (character === ':' && depth === 0) start = index + 1;
  }
  return className.slice(start).replace(/^!|!$/g, '');
}

function roleOf(hue) {
  return Object.entries(ROLE_BY_HUE).find(([, hues]) => hues.includes(hue))?.[0] ?? 'neutral';
}

/** @type {import('eslint').Rule.RuleModule} */
export const noRawPalette = {
  meta: {
    type: 'problem',
    docs: { description: 'Colours come from the design tokens and the app/_components/ui primitives, not the raw Tailwind palette' },
    schema: [],
    messages: {
      palette:
        '`{{name}}` is a raw palette colour: use a token by role ({{hint}}; app/globals.css @theme), or a primitive from app/_components/ui.',
      primitive: "`{{name}}` is a primitive's own class: use {{use}}.",
    },
  },
  create(context) {
    function check(node, text) {
      for (const name of text.split(/\s+/)) {
        if (!name) continue;
        const utility = utilityOf(name);
        const palette = PALETTE_CLASS.exec(utility);
        if (palette) {
          context.report({ node, messageId: 'palette', data: { name, hint: HINT[roleOf(palette[1])] } });
          continue;
        }
        const primitive = Object.keys(PRIMITIVE_CLASS).find((base) => utility === base || utility.startsWith(`${base}-`));
        if (primitive) context.report({ node, messageId: 'primitive', data: { name, use: PRIMITIVE_CLASS[primitive] } });
      }
    }
    return {
      Literal(node) {
        if (typeof node.value === 'string') check(node, node.value);
      },
      TemplateElement(node) {
        check(node, node.value.cooked ?? node.value.raw);
      },
    };
  },
};
