# Run by bench/compare.sh with `polymake --script`: reads a .arr file and times polymake's chamber decomposition of
# the homogenised arrangement restricted to x0 >= 0 (whose maximal cones are the regions of the affine arrangement).
# Prints "<count> <seconds>" (seconds exclude polymake's start-up and the file reading).
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
my $start = time();
my $support = new polytope::Cone(INEQUALITIES => [[1, (0) x $n]]);
my $arrangement = new HyperplaneArrangement(HYPERPLANES => \@rows, SUPPORT => $support);
my $count = $arrangement->CHAMBER_DECOMPOSITION->N_MAXIMAL_CONES;
printf "%d %.3f\n", $count, time() - $start;
