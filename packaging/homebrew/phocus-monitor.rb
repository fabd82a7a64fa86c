# packaging/homebrew/phocus-monitor.rb - the Homebrew formula: builds both
# programs from source with the Makefile and installs them with their man
# pages.  No release is published yet, so url and sha256 below are
# placeholders: packaging/homebrew/install-local copies this formula into a
# local tap with url and sha256 of a tarball of the checkout it runs in (what
# the macOS CI jobs do).  A release sets homepage, url and sha256 to the
# published repository's.
class PhocusMonitor < Formula
  desc "Records and analyzes what a photo editor does to memory, CPU, GPU and ANE"
  homepage "https://example.invalid/phocus-monitor"
  url "https://example.invalid/phocus-monitor-0.1.0.tar.gz"
  sha256 "0000000000000000000000000000000000000000000000000000000000000000"
  license "MIT"

  depends_on "pkgconf" => :build # pkg-config
  depends_on "gnuplot"
  depends_on "libcsv"
  depends_on "zstd"

  def install
    # libcsv ships no pkg-config file: name its folders (on Apple Silicon
    # Homebrew's prefix is not on the compiler's default paths)
    csv = Formula["libcsv"]
    system "make", "install", "PREFIX=#{prefix}",
           "CSV_CFLAGS=-I#{csv.opt_include}", "CSV_LIBS=-L#{csv.opt_lib} -lcsv"
  end

  test do
    # a short trace of a command, then what the analyzer says of it
    system bin/"phocus-record", "-q", "-i", "100", "-d", "1", "--no-powermetrics",
           "-o", testpath/"sleep.pmtrace", "--", "sleep", "5"
    assert_path_exists testpath/"sleep.pmtrace"
    info = shell_output("#{bin}/phocus-analyze info #{testpath}/sleep.pmtrace")
    assert_match "Integrity: complete", info
    assert_match(/Records: *[1-9][0-9]* process samples/, info)
    report = shell_output("#{bin}/phocus-analyze report #{testpath}/sleep.pmtrace " \
                          "--no-plot -o #{testpath}/out")
    assert_match "sleep", report
    assert_path_exists testpath/"out/sleep.csv"
    assert_match "elapsed_s,wall_time,rss_gb", (testpath/"out/sleep.csv").read
    assert_match version.to_s, shell_output("#{bin}/phocus-record --version")
  end
end
