/**
 * The Fiji/ImageJ front end: thin SciJava commands ({@link org.segmentcells.fiji.SegmentCellsCommand},
 * {@link org.segmentcells.fiji.EvaluateSegmentationCommand}) and ImageJ 1.x plugins listed in
 * {@code plugins.config} ({@link org.segmentcells.fiji.SegmentCellsPlugin},
 * {@link org.segmentcells.fiji.EvaluateSegmentationPlugin}) for menus, macros and batch mode without
 * imagej-legacy. Both kinds delegate to the same runners ({@link org.segmentcells.fiji.SegmentRunner},
 * {@link org.segmentcells.fiji.EvaluateRunner}, {@link org.segmentcells.fiji.FineTuneRunner}), which
 * delegate to the core. Fine-tune Model can also train on ROIs ({@link org.segmentcells.fiji.RoiAnnotations}),
 * tagged as scribbles by {@link org.segmentcells.fiji.AddScribblePlugin}.
 *
 * <p>Parameter names are snake_case because ImageJ 1.x lower-cases macro keys: the SciJava parameter
 * names, the GenericDialog labels, the macro keys and the README all use the same words.
 */
package org.segmentcells.fiji;
