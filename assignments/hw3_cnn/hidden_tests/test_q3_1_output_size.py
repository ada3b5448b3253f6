"""3.1 Output size of a convolution (5 points)."""

from autograder.grading.graded import GradedTest, number, partial_credit


class TestOutputSize(GradedTest):
    @partial_credit(5)
    @number("3.1.1")
    def test_conv_output_size(self, set_score=None):
        """3.1 conv_output_size: pad 0, pad > 0, stride > 1, geometries that do not divide"""
        s = self.scorer(set_score)
        for args in ((32, 5, 1, 2), (7, 3, 2, 0), (5, 3, 1, 0), (8, 2, 2, 0), (1, 1, 1, 0)):
            s.part(0.6, f"size {args[0]}, filter {args[1]}, stride {args[2]}, pad {args[3]}",
                   lambda args=args: self.compare("conv.conv_output_size", *args))
        s.part(1, "stride that does not divide raises ValueError",
               lambda: self.expect_value_error("conv.conv_output_size", 6, 3, 2, 0))
        s.part(1, "filter larger than the padded input raises ValueError",
               lambda: self.expect_value_error("conv.conv_output_size", 3, 5, 1, 0))
        s.finish()
