"""Test passages for the extractor, written for these tests in three styles of Vietnamese
administrative text. They are our own sentences about a fictional province (tỉnh Hòa Lâm):
every number, date and name in them is made up and refers to no real document, except the
law on local government's date quoted in the brief's own example of a preamble.
"""

# A province's history page: narrative, dates in three styles, a date broken across a line,
# an ambiguous comma list resolved by its count, Party and union bodies.
HISTORY_PAGE = """\
Sở Thông tin và Truyền thông tỉnh Hòa Lâm được thành lập theo Quyết định số 215/2008/QĐ-UBND ngày 04.02.2008 \
của UBND tỉnh Hòa Lâm, trên cơ sở Sở Bưu chính, Viễn thông. Ngày 12 tháng 5
năm 2008, Sở tiếp nhận chức năng quản lý nhà nước về báo chí, xuất bản từ Sở Văn hóa, Thể thao và Du lịch.

Ngày 20/7/2015, UBND tỉnh ban hành Quyết định số 31/2015/QĐ-UBND về chức năng, nhiệm vụ của Sở TT&TT. \
Cơ cấu tổ chức gồm có Ban Giám đốc, 4 phòng chuyên môn (Văn phòng, Thanh tra, Bưu chính, Viễn thông, Báo chí) \
và 1 đơn vị sự nghiệp là Trung tâm Công nghệ thông tin và Truyền thông.

Từ Chi bộ Sở khi mới thành lập, đến tháng 1/2010 tổ chức Đảng được nâng cấp thành Đảng bộ Sở Thông tin và \
Truyền thông; Công đoàn Sở Thông tin và Truyền thông có 30 đoàn viên, Đoàn Thanh niên có 12 đoàn viên.
"""

# A provincial decision: header in capitals, "Số:" line, a preamble of "Căn cứ …" with a word glued
# to the next ("Căn cứNghị định", "02năm"), a function list with semicolons, a unit list with counts.
DECISION = """\
ỦY BAN NHÂN DÂN
TỈNH HÒA LÂM
Số: 12/2019/QĐ-UBND

QUYẾT ĐỊNH
VỀ VIỆC BAN HÀNH QUY ĐỊNH CHỨC NĂNG, NHIỆM VỤ CỦA SỞ THÔNG TIN VÀ TRUYỀN THÔNG TỈNH HÒA LÂM

Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
Căn cứNghị định số 77/2018/NĐ-CP ngày 15 tháng 02năm 2018 của Chính phủ;
Căn cứ Thông tư số 09/2018/TT-BTTTT ngày 30/6/2018 của Bộ Thông tin và Truyền thông;

Quyết định này thay thế Quyết định số 31/2015/QĐ-UBND.

Sở Thông tin và Truyền thông, cơ quan chuyên môn của UBND tỉnh Hòa Lâm, giúp UBND tỉnh \
quản lý nhà nước về báo chí; xuất bản; bưu chính; viễn thông; công nghệ thông tin; an toàn thông tin mạng; \
thực hiện các nhiệm vụ khác do UBND tỉnh giao. Cơ cấu tổ chức của Sở gồm 03 phòng và 01 đơn vị sự nghiệp: \
Văn phòng; Thanh tra; Phòng Bưu chính - Viễn thông; Trung tâm Giám sát an toàn thông tin.
"""

# A national circular: the ministry's own number, a function list after "về:", a law cited with
# its number, a replaced circular.
CIRCULAR = """\
BỘ THÔNG TIN VÀ TRUYỀN THÔNG
Số: 07/2020/TT-BTTTT

THÔNG TƯ
Hướng dẫn chức năng của Sở Thông tin và Truyền thông

Căn cứ Luật Viễn thông số 41/2009/QH12 ngày 23 tháng 11 năm 2009;
Căn cứ Nghị định số 45/2019/NĐ-CP ngày 10/3/2019 của Chính phủ;

Điều 1. Sở Thông tin và Truyền thông giúp UBND tỉnh quản lý \
nhà nước về: báo chí; xuất bản; phát thanh, truyền hình; thông tin điện tử; bưu chính.
Điều 2. Thông tư này thay thế Thông tư số 03/2009/TT-BTTTT ngày 02/3/2009 của Bộ trưởng Bộ Thông tin và Truyền thông.
"""
