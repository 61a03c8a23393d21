/** The points of a rating scale as radio options, the ends labelled ("1, least pressured"). */
export const ratingOptions = (scale: { min: number; max: number; minLabel: string; maxLabel: string }) =>
  Array.from({ length: scale.max - scale.min + 1 }, (_, i) => {
    const point = scale.min + i;
    const end = point === scale.min ? `, ${scale.minLabel.toLowerCase()}` : point === scale.max ? `, ${scale.maxLabel.toLowerCase()}` : '';
    return { code: String(point), label: `${point}${end}` };
  });
