/**
 * The Fiji engine: {@link org.segmentcells.fiji.DefaultFijiEngine} implements the plugin's seam
 * ({@link org.segmentcells.fiji.plugin.FijiEngine}) with runners that turn ImageJ images, ROIs and
 * dialogs' options into core calls and show the results: {@link org.segmentcells.fiji.SegmentRunner},
 * {@link org.segmentcells.fiji.SegmentFilesRunner}, {@link org.segmentcells.fiji.FineTuneRunner} (also on
 * ROIs, {@link org.segmentcells.fiji.RoiAnnotations}), {@link org.segmentcells.fiji.EvaluateRunner}.
 * Installed in Fiji these classes, the core and TensorFlow load from {@code lib/segment-cells/} in a class
 * loader of their own; ImageJ and the plugin package come from Fiji's.
 */
package org.segmentcells.fiji;
