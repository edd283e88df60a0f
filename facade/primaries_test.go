package facade

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckPrimaryAddr(t *testing.T) {
	t.Parallel()
	const (
		public  = iota // accepted always
		private        // accepted with WithPrivatePrimaries only
		never          // refused always
	)
	tests := []struct {
		addr string
		want int
	}{
		{"192.0.2.1", public}, {"198.51.100.7", public}, {"203.0.113.9", public}, {"2001:db8::53", public},
		{"8.8.8.8", public}, {"2606:4700::1111", public}, {"::ffff:192.0.2.1", public},
		{"127.0.0.1", private}, {"127.255.0.1", private}, {"::1", private}, {"::ffff:127.0.0.1", private},
		{"10.0.0.1", private}, {"172.16.0.1", private}, {"172.31.255.254", private}, {"192.168.1.1", private},
		{"fc00::1", private}, {"fd12:3456::1", private}, {"100.64.0.1", private}, {"100.127.255.254", private},
		{"0.0.0.0", never}, {"::", never}, {"0.1.2.3", never}, {"255.255.255.255", never}, {"240.0.0.1", never},
		{"224.0.0.1", never}, {"239.255.255.250", never}, {"ff02::1", never}, {"169.254.169.254", never},
		{"fe80::1", never}, {"fe80::1%eth0", never}, {"::ffff:255.255.255.255", never},
		{"172.32.0.1", public}, {"100.128.0.1", public}, {"11.0.0.1", public},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			t.Parallel()
			a := netip.MustParseAddr(tt.addr)
			errDefault, errPrivate := CheckPrimaryAddr(a, false), CheckPrimaryAddr(a, true)
			switch tt.want {
			case public:
				assert.NoError(t, errDefault)
				assert.NoError(t, errPrivate)
			case private:
				require.ErrorIs(t, errDefault, ErrInvalidInput)
				assert.Contains(t, errDefault.Error(), "WithPrivatePrimaries")
				assert.NoError(t, errPrivate)
			case never:
				require.ErrorIs(t, errDefault, ErrInvalidInput)
				require.ErrorIs(t, errPrivate, ErrInvalidInput)
			}
		})
	}
	require.ErrorIs(t, CheckPrimaryAddr(netip.Addr{}, true), ErrInvalidInput)
}
