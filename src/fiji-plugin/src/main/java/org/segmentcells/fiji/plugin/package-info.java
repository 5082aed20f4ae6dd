/**
 * What Fiji's own class loader sees of Segment Cells: the SciJava commands
 * ({@link org.segmentcells.fiji.plugin.SegmentCellsCommand} and the others) and the ImageJ 1.x plugins listed
 * in {@code plugins.config} ({@link org.segmentcells.fiji.plugin.SegmentCellsPlugin} and the others) for
 * menus, macros and batch mode, their options ({@link org.segmentcells.fiji.plugin.SegmentOptions} and the
 * others), and the seam {@link org.segmentcells.fiji.plugin.FijiEngine}, behind which
 * {@link org.segmentcells.fiji.plugin.EngineLoader} loads the engine (runners, core, TensorFlow Java,
 * JavaCPP, protobuf) in a class loader of its own. Nothing here names a class of the engine, so a
 * TensorFlow or protobuf in Fiji's jars/ (StarDist's 1.15, protobuf 4) never meets ours.
 *
 * <p>Parameter names are snake_case because ImageJ 1.x lower-cases macro keys: the SciJava parameter
 * names, the GenericDialog labels, the macro keys and the README all use the same words.
 */
package org.segmentcells.fiji.plugin;
