package org.segmentcells.setting;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * A file system's failures in words. Java names them by class ({@code java.nio.file.AccessDeniedException:
 * /data/out}) or by the path alone ({@code NoSuchFileException}'s message is just the path), neither of
 * which says to a user what went wrong.
 */
public final class FileErrors {

    private FileErrors() {
    }

    /** What went wrong, with the file it went wrong on: "/data/out: permission denied". */
    public static String describe(Throwable e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            return f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": " + reason(e);
        }
        return reason(e);
    }

    /**
     * What went wrong, for a message that already names {@code subject}: the file only when it is another
     * (a parent that is a file, a temporary file).
     */
    public static String about(java.nio.file.Path subject, Throwable e) {
        return e instanceof FileSystemException f && f.getFile() != null && f.getOtherFile() == null
                && same(java.nio.file.Path.of(f.getFile()), subject) ? reason(e) : describe(e);
    }

    // The file system names the absolute path where the user gave a relative one.
    private static boolean same(java.nio.file.Path a, java.nio.file.Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /** What went wrong, without the file: for messages that name the folder the user gave instead. */
    public static String reason(Throwable e) {
        if (e instanceof FileSystemException f) {
            if (f instanceof NoSuchFileException) {
                return "no such file or folder";
            }
            if (f instanceof AccessDeniedException) {
                return "permission denied";
            }
            if (f instanceof FileAlreadyExistsException) {
                return "already exists";
            }
            if (f instanceof NotDirectoryException) {
                return "not a folder";
            }
            if (f instanceof DirectoryNotEmptyException) {
                return "folder not empty";
            }
            if (f.getReason() != null) {
                return f.getReason();
            }
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
