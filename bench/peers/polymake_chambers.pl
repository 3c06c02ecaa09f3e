# Run by bench/compare.sh with `polymake --script`: reads a .arr file and times polymake's chamber decomposition of
# the homogenised arrangement restricted to x0 >= 0 (whose maximal cones are the regions of the affine arrangement).
# Prints "<count> <seconds>" (seconds exclude polymake's start-up and the file reading). A run under 1 s is repeated
# on fresh objects up to 3 times and the fastest counts, as compare.sh does for chamber.
use application "fan";
use Time::HiRes qw(time);
my ($path) = @ARGV;
open(my $fh, "<", $path) or die "cannot open $path";
my ($header, @rows);
while (my $line = <$fh>) {
  $line =~ s/#.*//;
  $line =~ s/^\s+|\s+$//g;
  next if $line eq "";
  my @t = split(/\s+/, $line);
  if (!defined $header) { $header = \@t; next; }
  push @rows, [@t];
}
my $n = $header->[0];
my ($count, $best);
for my $attempt (1 .. 3) {
  my $start = time();
  my $support = new polytope::Cone(INEQUALITIES => [[1, (0) x $n]]);
  my $arrangement = new HyperplaneArrangement(HYPERPLANES => \@rows, SUPPORT => $support);
  $count = $arrangement->CHAMBER_DECOMPOSITION->N_MAXIMAL_CONES;
  my $seconds = time() - $start;
  $best = $seconds if !defined $best || $seconds < $best;
  last if $seconds >= 1;
}
printf "%d %.4f\n", $count, $best;
