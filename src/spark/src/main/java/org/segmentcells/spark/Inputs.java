package org.segmentcells.spark;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.segmentcells.batch.FileSegmentation;
import org.segmentcells.io.ImageFiles;

/**
 * The job's INPUT arguments as image locations: local files and folders as the CLI takes them, and
 * glob patterns and URIs of any Hadoop file system Spark can read ({@code hdfs://}, {@code s3a://},
 * {@code file://}), listed through Hadoop's {@link FileSystem}. A {@code file:} location becomes a plain
 * path; other schemes stay URIs, which an executor copies to a local temporary file to read
 * ({@link #localCopy}), since the image readers take files.
 */
final class Inputs {

    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:/.*");
    private static final Pattern GLOB = Pattern.compile(".*[*?\\[{].*");

    private Inputs() {
    }

    /**
     * Hadoop's settings with the job's {@code spark.hadoop.*} ones (an S3 endpoint, credentials), as Spark
     * itself reads files: on an executor from its SparkConf, on the driver (before Spark starts) from the
     * {@code spark.*} system properties spark-submit sets.
     */
    static Configuration hadoopConfiguration() {
        org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
        return hadoopConfiguration(env != null ? env.conf() : new org.apache.spark.SparkConf());
    }

    static Configuration hadoopConfiguration(org.apache.spark.SparkConf spark) {
        Configuration c = new Configuration();
        for (scala.Tuple2<String, String> kv : spark.getAll()) {
            if (kv._1().startsWith("spark.hadoop.")) {
                c.set(kv._1().substring("spark.hadoop.".length()), kv._2());
            }
        }
        return c;
    }

    /** Whether {@code location} is a URI with a scheme other than a Windows drive letter. */
    static boolean isUri(String location) {
        return SCHEME.matcher(location).matches() && !location.matches("^[a-zA-Z]:[/\\\\].*");
    }

    /** Whether the image at {@code location} lives on a file system other than the local one. */
    static boolean isRemote(String location) {
        return isUri(location) && !location.startsWith("file:");
    }

    /**
     * Every image the inputs name, in order: folders give their image files (sorted), patterns and URIs
     * are listed by Hadoop; an input that names nothing is an IOException naming it.
     */
    static List<String> expand(List<String> inputs) throws IOException {
        List<String> out = new ArrayList<>();
        List<String> local = new ArrayList<>();
        for (String in : inputs) {
            // A path that exists is taken as it is, even with a bracket or brace in its name (slide[1].tif).
            if (!isUri(in) && (!GLOB.matcher(in).matches() || Files.exists(Path.of(in)))) {
                local.add(in);
                continue;
            }
            flush(local, out);
            org.apache.hadoop.fs.Path pattern = new org.apache.hadoop.fs.Path(in);
            FileSystem fs;
            try {
                // A pattern without a scheme is a local path, as a plain path is, whatever fs.defaultFS says.
                fs = isUri(in) ? pattern.getFileSystem(hadoopConfiguration())
                        : FileSystem.getLocal(hadoopConfiguration());
            } catch (IOException | RuntimeException e) {
                throw new IOException(in + ": no file system for it (" + e.getMessage() + ")", e);
            }
            FileStatus[] found = fs.globStatus(pattern);
            if (found == null || found.length == 0) {
                throw new IOException(in + ": no such file or folder");
            }
            List<FileStatus> files = new ArrayList<>();
            for (FileStatus f : found) {
                if (f.isDirectory()) {
                    files.addAll(Arrays.asList(fs.listStatus(f.getPath())));
                } else {
                    files.add(f);
                }
            }
            files.sort(Comparator.comparing(f -> f.getPath().toString()));
            int before = out.size();
            for (FileStatus f : files) {
                if (f.isFile() && ImageFiles.isImageName(f.getPath().getName())) {
                    URI u = f.getPath().toUri();
                    out.add("file".equals(u.getScheme()) || u.getScheme() == null
                            ? Path.of(u.getPath()).toAbsolutePath().normalize().toString() : f.getPath().toString());
                }
            }
            if (out.size() == before) {
                throw new IOException(in + ": no images found");
            }
        }
        flush(local, out);
        return out;
    }

    private static void flush(List<String> local, List<String> out) throws IOException {
        if (!local.isEmpty()) {
            for (Path p : FileSegmentation.inputs(local)) {
                out.add(p.toAbsolutePath().normalize().toString());
            }
            local.clear();
        }
    }

    /** The file name of an image location, local or URI. */
    static String name(String location) {
        return isUri(location) ? new org.apache.hadoop.fs.Path(location).getName() : Path.of(location).getFileName().toString();
    }

    /**
     * A local copy of a remote image, in a temporary file named like it (so its format is known); the
     * caller deletes it.
     */
    static Path localCopy(String location) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(location);
        String name = p.getName();
        int dot = name.lastIndexOf('.');
        Path tmp = Files.createTempFile("segment-cells-", dot >= 0 ? name.substring(dot) : "");
        try (InputStream in = p.getFileSystem(hadoopConfiguration()).open(p)) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw new IOException(location + ": cannot be read (" + e.getMessage() + ")", e);
        }
        return tmp;
    }
}
