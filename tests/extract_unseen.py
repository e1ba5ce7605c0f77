"""Passages for issue 14: one or more per kind of trouble unseen texts show. Our own sentences in
the styles of real Vietnamese administrative text (a decision's own header, a joint circular, a
circular, another province's history page, a press item), about made-up provinces (Bắc Sơn,
Đông Hà Lâm, Tây Giang): every number, date and name is invented and refers to no real document.
None is written after the seed; each kind has passages in at least two styles.
"""

# 1. A provincial decision's own header: the issuer on two lines in capitals, "Số:" on its own line,
# rules under the header lines, the place-date line; "Quyết định này … thay thế" at the end.
DECISION_HEADER = """\
ỦY BAN NHÂN DÂN
TỈNH BẮC SƠN
--------
Số: 25/2016/QĐ-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Bắc Sơn, ngày 14 tháng 10 năm 2016

QUYẾT ĐỊNH
QUY ĐỊNH CHỨC NĂNG, NHIỆM VỤ, QUYỀN HẠN VÀ CƠ CẤU TỔ CHỨC
CỦA SỞ THÔNG TIN VÀ TRUYỀN THÔNG TỈNH BẮC SƠN

ỦY BAN NHÂN DÂN TỈNH BẮC SƠN

Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
Căn cứ Thông tư liên tịch số 06/2016/TTLT-BTTTT-BNV ngày 10 tháng 3 năm 2016 của liên Bộ Thông tin và \
Truyền thông - Bộ Nội vụ;
Theo đề nghị của Giám đốc Sở Thông tin và Truyền thông tại Tờ trình số 58/TTr-STTTT ngày 30 tháng 9 năm 2016,

QUYẾT ĐỊNH:

Điều 1. Vị trí và chức năng
Sở Thông tin và Truyền thông (cơ quan chuyên môn của UBND tỉnh Bắc Sơn) tham mưu cho UBND tỉnh \
về quản lý nhà nước các lĩnh vực: báo chí; xuất bản; bưu chính; viễn thông; công nghệ thông tin.

Điều 3. Quyết định này có hiệu lực kể từ ngày 25 tháng 10 năm 2016 và thay thế Quyết định số 09/2009/QĐ-UBND \
ngày 12/5/2009 của UBND tỉnh Bắc Sơn.
"""

# 1. A joint circular's header: two ministries on lines of their own, the two-column layout pasted
# as single lines (the motto glued after the issuer, the place-date line after the number).
JOINT_CIRCULAR_HEADER = """\
BỘ THÔNG TIN VÀ TRUYỀN THÔNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
BỘ NỘI VỤ Độc lập - Tự do - Hạnh phúc
Số: 11/2012/TTLT-BTTTT-BNV Hà Nội, ngày 05 tháng 7 năm 2012

THÔNG TƯ LIÊN TỊCH
HƯỚNG DẪN CHỨC NĂNG, NHIỆM VỤ, QUYỀN HẠN VÀ CƠ CẤU TỔ CHỨC CỦA SỞ THÔNG TIN VÀ TRUYỀN THÔNG

Căn cứ Nghị định số 132/2008/NĐ-CP ngày 31 tháng 12 năm 2008 của Chính phủ;
Bộ trưởng Bộ Thông tin và Truyền thông và Bộ trưởng Bộ Nội vụ ban hành Thông tư liên tịch hướng dẫn chức năng, \
nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Thông tin và Truyền thông.

Điều 9. Thông tư liên tịch này thay thế Thông tư liên tịch số 04/2008/TTLT-BTTTT-BNV ngày 28 tháng 8 năm 2008.
"""

# 2. A circular's own provisions: the list follows a cited decree in the same paragraph, but it is the
# circular's, given to the Sở (not to the decree, not to the UBND the Sở serves).
CIRCULAR_PROVISIONS = """\
BỘ THÔNG TIN VÀ TRUYỀN THÔNG
Số: 08/2021/TT-BTTTT
Hà Nội, ngày 09 tháng 9 năm 2021

THÔNG TƯ
HƯỚNG DẪN CHỨC NĂNG, NHIỆM VỤ CỦA SỞ THÔNG TIN VÀ TRUYỀN THÔNG

Căn cứ Nghị định số 48/2021/NĐ-CP ngày 26 tháng 3 năm 2021 của Chính phủ;

Điều 1. Phạm vi điều chỉnh
Thông tư hướng dẫn chức năng, nhiệm vụ, quyền hạn của Sở Thông tin và Truyền thông thuộc UBND tỉnh, thành phố.
Điều 2. Vị trí và chức năng
Theo Nghị định số 107/2020/NĐ-CP, UBND cấp tỉnh giao Sở Thông tin và Truyền thông tham mưu quản lý nhà nước về \
báo chí; xuất bản, in, phát hành; bưu chính; viễn thông; tần số vô tuyến điện; công nghệ thông tin; \
thông tin đối ngoại; thông tin cơ sở.
"""

# 2. A provincial decision whose own provisions are introduced by "Quyết định này" after a "Căn cứ" line.
DECISION_PROVISIONS = """\
UBND TỈNH ĐÔNG HÀ LÂM
Số: 40/2022/QĐ-UBND
Đông Hà Lâm, ngày 02 tháng 8 năm 2022

QUYẾT ĐỊNH
Căn cứ Quyết định số 12/2015/QĐ-UBND ngày 3/3/2015 của UBND tỉnh Đông Hà Lâm; Quyết định này quy định \
Sở Thông tin và Truyền thông giúp UBND tỉnh quản lý nhà nước về bưu chính; viễn thông; công nghệ thông tin.
"""

# 3. Who issued it, in a press item and a history page of another province: a ministry that "vừa ban
# hành", a council that adopted a resolution, a director's submission, a minister's circular, old codes.
PRESS_ITEM = """\
Bộ Thông tin và Truyền thông vừa ban hành Thông tư số 22/2023/TT-BTTTT ngày 20/12/2023 hướng dẫn về quản lý \
thông tin cơ sở. Trước đó, Đề án chuyển đổi số tỉnh Tây Giang đã được HĐND tỉnh Tây Giang khóa XVII thông qua \
tại Nghị quyết số 14/2023/NQ-HĐND ngày 8/7/2023, theo đề nghị của Giám đốc Sở Thông tin và Truyền thông tỉnh \
Tây Giang tại Tờ trình số 61/TTr-STTTT ngày 20/6/2023.
"""

HISTORY_ISSUERS = """\
Tiền thân của Sở là Phòng Bưu điện thuộc Sở Giao thông Vận tải, theo Quyết định số 1520/QĐ-UBT ngày 15/9/1997 \
của Chủ tịch UBND tỉnh Tây Giang. Thông tư số 12/2007/TT-BBCVT ngày 25/10/2007 của Bộ trưởng Bộ Bưu chính, \
Viễn thông hướng dẫn về tổ chức của Sở; sau đó Thông tư liên tịch số 03/2008/TTLT-BTTTT-BNV ngày 30/6/2008 \
của liên Bộ: Bộ Thông tin và Truyền thông, Bộ Nội vụ thay thế văn bản này. Năm 2005 Quyết định số 88/2005/QĐ-UB \
ngày 2/3/2005 giao thêm nhiệm vụ cho Sở.
"""

# 4. Damaged text: a copy from a scanned circular whose spaces were lost in places, in every case
# ("Bộtrưởng", "THÔNGTIN", "vàTruyền", "BộNội"), a header name broken across lines in capitals, codes
# in a capital header (TTLT, BTTTT), a count in the function list, and an excerpt cut in mid-word.
DAMAGED_CIRCULAR = """\
BỘ THÔNGTIN VÀ TRUYỀN
THÔNG
Số: 15/2014/TTLT-BTTTT-BNV

THÔNG TƯ LIÊN TỊCH
HƯỚNG DẪN THEO TTLT-BTTTT-BNV VỀ TỔ CHỨC CỦA SỞ THÔNG TIN VÀ TRUYỀN THÔNG

Căn cứ Nghị định số 17/2013/NĐ-CP ngày 19/2/2013 của Chính phủ;
Bộtrưởng Bộ Thông tin vàTruyền thông và Bộ trưởng BộNội vụ ban hành Thông tư liên tịch hướng dẫn về tổ chức \
của Sở Thông tin và Truyền thông.
Điều 2. Sở Thông tin và Truyền thông giúp UBND tỉnh quản lý nhà nước về 9 lĩnh vực gồm: báo chí; xuất bản; \
bưu chính; viễn thông; công nghệ thông tin; phát thanh, truyền hình; thông tin điện tử; thông tin đối ngoại; \
thông tin cơ s"""

# 4. A history page excerpt cut in mid-word after a comma list.
CUT_EXCERPT = """\
Theo Quyết định số 77/2010/QĐ-UBND ngày 5/4/2010 của UBND tỉnh Tây Giang, Sở Thông tin và Truyền thông tỉnh Tây \
Giang tham mưu quản lý nhà nước về báo chí, xuất bản, bưu chính, viễn thông, công nghệ thông ti"""

# 5. Lists in other shapes: a decision's articles with items on lines of their own (a), b) …; 1. 2. …;
# "-"), an item list split by semicolons across lines, and units in brackets after a count, with no "gồm".
LINE_LISTS = """\
UBND TỈNH ĐÔNG HÀ LÂM
Số: 19/2017/QĐ-UBND
Đông Hà Lâm, ngày 06 tháng 6 năm 2017

QUYẾT ĐỊNH
Điều 1. Vị trí và chức năng
Sở Thông tin và Truyền thông là cơ quan chuyên môn thuộc UBND tỉnh, tham mưu, giúp UBND tỉnh quản lý nhà nước về:
a) Báo chí;
b) Xuất bản, in, phát hành;
c) Bưu chính;
d) Viễn thông;
đ) Công nghệ thông tin.
Điều 2. Cơ cấu tổ chức
1. Lãnh đạo Sở: Giám đốc và không quá 03 Phó Giám đốc.
2. Các phòng chuyên môn, nghiệp vụ gồm:
- Văn phòng;
- Thanh tra;
- Phòng Bưu chính, Viễn thông;
- Phòng Công nghệ thông tin.
3. Đơn vị sự nghiệp: Trung tâm Công nghệ thông tin và Truyền thông.
"""

# 5. A history page: semicolons across lines, units in brackets with no "gồm".
BRACKET_UNITS = """\
Năm 2013, theo Quyết định số 64/2013/QĐ-UBND ngày 2/12/2013 của UBND tỉnh Tây Giang, Sở Thông tin và Truyền \
thông tỉnh Tây Giang tham mưu quản lý nhà nước về báo chí; xuất bản;
bưu chính; viễn thông; công nghệ thông tin.
Khi đó Sở có 4 phòng chuyên môn (Văn phòng, Thanh tra, Phòng Bưu chính - Viễn thông, Phòng Báo chí - Xuất bản) \
và 01 đơn vị sự nghiệp (Trung tâm Thông tin và Truyền thông).
"""

# 6. Dates with their precision: a month, a year, a day, each on the event its sentence states.
DATED_EVENTS = """\
Năm 2003, Chi bộ Sở Bưu chính, Viễn thông tỉnh Tây Giang được nâng cấp thành Đảng bộ Sở Bưu chính, Viễn thông.
Tháng 3/2011, Sở Thông tin và Truyền thông tỉnh Tây Giang tiếp nhận chức năng quản lý nhà nước về phát thanh, \
truyền hình từ Sở Văn hóa, Thể thao và Du lịch tỉnh Tây Giang.
Năm 2012 UBND tỉnh ban hành Quyết định số 301/QĐ-UBND về việc kiện toàn tổ chức của Sở.
"""

# 7. The right subject: "thành lập X trên cơ sở Y" after the issuer's name, and a transfer whose decision
# comes after it in its sentence while another decision opens the paragraph.
SUBJECTS = """\
Sở Thông tin và Truyền thông tỉnh Bắc Sơn được thành lập theo Quyết định số 10/2008/QĐ-UBND ngày 11/3/2008 \
của UBND tỉnh Bắc Sơn trên cơ sở Sở Bưu chính, Viễn thông tỉnh Bắc Sơn. Ngày 02/6/2008, Sở tiếp nhận chức năng \
quản lý nhà nước về báo chí, xuất bản từ Sở Văn hóa, Thể thao và Du lịch tỉnh Bắc Sơn theo Quyết định số \
1190/QĐ-UBND ngày 30/5/2008 của UBND tỉnh.
Năm 2016, UBND tỉnh ban hành Quyết định số 35/2016/QĐ-UBND thành lập Trung tâm Công nghệ thông tin và Truyền \
thông tỉnh Bắc Sơn trên cơ sở Trung tâm Tin học tỉnh Bắc Sơn.
"""

# 8. One body named several ways in one text (capitals, abbreviations, with and without its province),
# and the same names in a text of another province.
NAMED_TWICE_BAC_SON = """\
UBND TỈNH BẮC SƠN
SỞ THÔNG TIN VÀ TRUYỀN THÔNG
Số: 71/QĐ-STTTT
Bắc Sơn, ngày 03 tháng 4 năm 2018

Sở Thông tin và Truyền thông tỉnh Bắc Sơn là cơ quan chuyên môn thuộc UBND tỉnh Bắc Sơn. Sở TT&TT có \
Văn phòng và Thanh tra. Năm 2018, Sở TTTT Bắc Sơn được UBND tỉnh giao thêm nhiệm vụ.
"""

NAMED_TWICE_TAY_GIANG = """\
Sở Thông tin và Truyền thông tỉnh Tây Giang là cơ quan chuyên môn thuộc UBND tỉnh Tây Giang; Sở TT&TT được \
UBND tỉnh giao thêm nhiệm vụ năm 2019.
"""
