import TemplatePalette from './template-palette';

/** Our job types in the palette, from their element templates. */
export default {
  __init__: ['templatePalette'],
  templatePalette: ['type', TemplatePalette],
};
